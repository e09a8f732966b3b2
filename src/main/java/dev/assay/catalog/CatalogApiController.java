package dev.assay.catalog;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.assay.common.ApiController;
import dev.assay.common.CsvNegotiation;
import dev.assay.common.PageRequest;

/** {@code GET /api/v1/services} and {@code /api/v1/teams} (paged, filterable, with CSV variants). */
@ApiController
class CatalogApiController {

    private final Catalog catalog;

    CatalogApiController(Catalog catalog) {
        this.catalog = catalog;
    }

    @GetMapping({"/api/v1/services", "/api/v1/services.csv"})
    ResponseEntity<?> services(@RequestParam(required = false) String team, @RequestParam(required = false) String service,
            @RequestParam(required = false) String source, @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size, HttpServletRequest request) {
        var result = catalog.services(team, service, source, PageRequest.of(page, size));
        if (CsvNegotiation.wantsCsv(request)) {
            return CsvNegotiation.csv("services",
                    List.of("name", "title", "component_type", "tier", "lifecycle", "declared_owner", "owning_team",
                            "owner_evidence", "system", "escalation_contact", "owned", "source_repositories",
                            "artifact_repositories"),
                    result.items(), s -> List.of(s.name(), nz(s.title()), nz(s.componentType()), s.tier() == null ? "" : s.tier(),
                            nz(s.lifecycle()), nz(s.declaredOwner()), nz(s.owningTeam()), nz(s.ownerEvidence()), nz(s.system()),
                            nz(s.escalationContact()), s.owned(), String.join(" ", s.sourceRepositories()),
                            String.join(" ", s.artifactRepositories())));
        }
        return ResponseEntity.ok(result);
    }

    @GetMapping({"/api/v1/teams", "/api/v1/teams.csv"})
    ResponseEntity<?> teams(@RequestParam(required = false) String team, @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size, HttpServletRequest request) {
        var result = catalog.teams(team, PageRequest.of(page, size));
        if (CsvNegotiation.wantsCsv(request)) {
            return CsvNegotiation.csv("teams",
                    List.of("name", "title", "email", "parent", "service_count", "member_count",
                            "ownership_numerator", "ownership_denominator"),
                    result.items(), t -> List.of(t.name(), nz(t.title()), nz(t.email()), nz(t.parent()), t.serviceCount(),
                            t.memberCount(), t.ownershipCoverage().numerator(), t.ownershipCoverage().denominator()));
        }
        return ResponseEntity.ok(result);
    }

    private static String nz(String value) {
        return value == null ? "" : value;
    }
}

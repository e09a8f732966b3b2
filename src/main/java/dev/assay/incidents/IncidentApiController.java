package dev.assay.incidents;

import java.time.Instant;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

import dev.assay.common.ApiController;
import dev.assay.common.CsvNegotiation;
import dev.assay.common.PageRequest;

/**
 * {@code GET /api/v1/incidents} (paged; filters {@code team}, {@code service}, {@code source},
 * {@code severity}, {@code window}, {@code drill}; CSV with {@code .csv} or {@code Accept: text/csv})
 * and {@code GET /api/v1/incidents/{id}} (timeline, durations, review).
 */
@ApiController
class IncidentApiController {

    private final Incidents incidents;

    IncidentApiController(Incidents incidents) {
        this.incidents = incidents;
    }

    @GetMapping({"/api/v1/incidents", "/api/v1/incidents.csv"})
    ResponseEntity<?> list(@RequestParam(required = false) String team, @RequestParam(required = false) String service,
            @RequestParam(required = false) String source, @RequestParam(required = false) String severity,
            @RequestParam(required = false) String window, @RequestParam(required = false) Boolean drill,
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size,
            HttpServletRequest request) {
        IncidentFilter filter = new IncidentFilter(IncidentFilter.blankToNull(window), null, IncidentFilter.blankToNull(team),
                IncidentFilter.blankToNull(service), IncidentFilter.blankToNull(severity), IncidentFilter.blankToNull(source),
                drill);
        var result = incidents.list(filter, PageRequest.of(page, size));
        if (CsvNegotiation.wantsCsv(request)) {
            return CsvNegotiation.csv("incidents",
                    List.of("id", "source", "reference", "title", "severity", "status", "is_drill", "services", "started_at",
                            "impact_start_from_review", "detected_at", "acknowledged_at", "mitigated_at", "resolved_at",
                            "ttd_s", "tta_s", "ttr_s", "review_status", "runbook_id", "url"),
                    result.items(), i -> List.of(i.id(), i.source(), nz(i.reference()), i.title(), nz(i.severity()),
                            nz(i.status()), i.isDrill(), String.join(" ", i.services()), time(i.startedAt()),
                            i.impactStartFromReview(), time(i.detectedAt()), time(i.acknowledgedAt()), time(i.mitigatedAt()),
                            time(i.resolvedAt()), num(i.ttdS()), num(i.ttaS()), num(i.ttrS()), nz(i.reviewStatus()),
                            i.runbookId() == null ? "" : i.runbookId(), nz(i.url())));
        }
        return ResponseEntity.ok(result);
    }

    @GetMapping("/api/v1/incidents/{id}")
    IncidentDetail detail(@PathVariable long id) {
        return incidents.detail(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No incident " + id));
    }

    private static String nz(String value) {
        return value == null ? "" : value;
    }

    private static String time(Instant value) {
        return value == null ? "" : value.toString();
    }

    private static Object num(Double value) {
        return value == null ? "" : value;
    }
}

package dev.assay.artifacts;

import static org.springframework.http.HttpStatus.BAD_REQUEST;
import static org.springframework.http.HttpStatus.NOT_FOUND;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

import dev.assay.artifacts.internal.parse.ArtifactRef;
import dev.assay.catalog.Catalog;
import dev.assay.catalog.ServiceDetail;

/**
 * The artifact page ({@code /artifacts/{digest}}): tags, platforms, every signature with Assay's
 * verification and its reason, SBOMs with a component search, scans with their results, provenance;
 * and a service's artifacts ({@code /services/{name}/artifacts}): its coverage and what fails each check.
 */
@Controller
class ArtifactPageController {

    private final ArtifactQueries queries;
    private final ArtifactFigures figures;
    private final ScanReports scans;
    private final Catalog catalog;

    ArtifactPageController(ArtifactQueries queries, ArtifactFigures figures, ScanReports scans, Catalog catalog) {
        this.queries = queries;
        this.figures = figures;
        this.scans = scans;
        this.catalog = catalog;
    }

    @GetMapping("/artifacts/{digest}")
    String artifact(@PathVariable String digest, @RequestParam(required = false) String q, Model model) {
        if (!ArtifactRef.isDigest(digest)) {
            throw new ResponseStatusException(NOT_FOUND, "'" + digest + "' is not a digest");
        }
        ArtifactDetail detail = queries.detail(digest).orElseThrow(() -> new ResponseStatusException(NOT_FOUND, "No artifact " + digest));
        String trimmed = q == null ? "" : q.strip();
        String search = trimmed.length() > 200 ? trimmed.substring(0, 200) : trimmed;
        Map<Long, List<ArtifactDetail.Component>> components = new LinkedHashMap<>();
        detail.sboms().forEach(s -> components.put(s.id(), queries.components(s.id(), search)));
        Map<Long, List<ScanFinding>> results = new LinkedHashMap<>();
        detail.scans().forEach(s -> results.put(s.id(), scans.findings(s.id())));
        model.addAttribute("detail", detail);
        model.addAttribute("q", search);
        model.addAttribute("components", components);
        model.addAttribute("maxComponents", ArtifactQueries.MAX_COMPONENTS_SHOWN);
        model.addAttribute("results", results);
        model.addAttribute("freshness", figures.scanFreshness());
        return "artifacts/artifact";
    }

    @GetMapping("/services/{name}/artifacts")
    String serviceArtifacts(@PathVariable String name, @RequestParam(required = false) String window, Model model) {
        ServiceDetail service = catalog.service(name).orElseThrow(() -> new ResponseStatusException(NOT_FOUND, "No service " + name));
        Duration period = parseWindow(window);
        List<ArtifactCoverage> scope = figures.scope(period, null, name);
        model.addAttribute("service", service.service());
        model.addAttribute("window", period);
        model.addAttribute("windowDays", period.toDays());
        model.addAttribute("coverage", figures.coverage(period, null, name));
        model.addAttribute("scope", scope);
        model.addAttribute("freshnessDays", figures.scanFreshness().toDays());
        Map<String, List<ArtifactCoverage>> failing = new LinkedHashMap<>();
        failing.put("Not signed with a verified signature", failing(scope, ArtifactCoverage::signed));
        failing.put("No fresh scan", failing(scope, ArtifactCoverage::scanned));
        failing.put("No SBOM", failing(scope, ArtifactCoverage::sbom));
        failing.put("No provenance", failing(scope, ArtifactCoverage::provenance));
        model.addAttribute("failing", failing);
        return "artifacts/service-artifacts";
    }

    private Duration parseWindow(String window) {
        if (window == null || window.isBlank()) {
            return figures.defaultWindow();
        }
        try {
            Duration duration = Duration.parse(window.trim());
            if (duration.isNegative() || duration.isZero()) {
                throw new ResponseStatusException(BAD_REQUEST, "window must be a positive ISO-8601 duration such as P30D");
            }
            return duration;
        } catch (DateTimeParseException e) {
            throw new ResponseStatusException(BAD_REQUEST, "window '" + window + "' is not an ISO-8601 duration such as P30D");
        }
    }

    private static List<ArtifactCoverage> failing(List<ArtifactCoverage> scope, Predicate<ArtifactCoverage> check) {
        List<ArtifactCoverage> failing = new ArrayList<>();
        scope.stream().filter(check.negate()).forEach(failing::add);
        return failing;
    }
}

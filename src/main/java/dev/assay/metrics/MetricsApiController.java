package dev.assay.metrics;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

import dev.assay.artifacts.ArtifactFigures;
import dev.assay.catalog.Catalog;
import dev.assay.catalog.Ratio;
import dev.assay.common.ApiController;
import dev.assay.findings.FindingFigures;
import dev.assay.incidents.IncidentFigures;
import dev.assay.playbooks.PlaybookFigures;

/**
 * {@code GET /api/v1/metrics/{metric}} (DESIGN §4). Only figures whose facts Assay collects are
 * answered; a defined figure whose collector is not built yet answers 501 rather than a made-up value.
 */
@ApiController
class MetricsApiController {

    static final Set<String> DEFINED = Set.of("mttd", "mtta", "mttr", "time-to-remediate", "signed-coverage",
            "scanned-coverage", "sbom-coverage", "provenance-coverage", "sla-compliance", "ownership-coverage",
            "drill-coverage", "runbook-freshness");

    private final Catalog catalog;
    private final PlaybookFigures playbooks;
    private final IncidentFigures incidents;
    private final FindingFigures findings;
    private final ArtifactFigures artifacts;

    MetricsApiController(Catalog catalog, PlaybookFigures playbooks, IncidentFigures incidents, FindingFigures findings,
            ArtifactFigures artifacts) {
        this.catalog = catalog;
        this.playbooks = playbooks;
        this.incidents = incidents;
        this.findings = findings;
        this.artifacts = artifacts;
    }

    @GetMapping("/api/v1/metrics/{metric}")
    Map<String, Object> metric(@PathVariable String metric, @RequestParam(defaultValue = "P90D") String window,
            @RequestParam(required = false) String team, @RequestParam(required = false) String service,
            @RequestParam(required = false) String severity) {
        Duration span = parseWindow(window);
        if (!DEFINED.contains(metric)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "Unknown metric '" + metric + "'; defined: " + DEFINED);
        }
        switch (metric) {
            // Ownership and freshness are judged now: the window is echoed but selects nothing.
            case "ownership-coverage":
                return ratio(metric, window, catalog.ownershipCoverage(team, service), true);
            case "runbook-freshness":
                return ratio(metric, window, playbooks.runbookFreshness(team, service), true);
            case "drill-coverage":
                return ratio(metric, window, playbooks.drillCoverage(span, team, service), false);
            case "mttd":
            case "mtta":
            case "mttr":
                return incidents.figure(metric, window, team, service, severity).toApi(metric, window);
            case "sla-compliance":
                return findings.slaCompliance(window, team, service, severity).toMetric();
            case "time-to-remediate":
                return findings.timeToRemediate(window, team, service, severity).toMetric();
            case "signed-coverage": {
                var coverage = artifacts.coverage(span, team, service);
                Map<String, Object> answer = ratio(metric, window, coverage.signed(), false);
                // Signature present but not verified is shown separately (DESIGN §5), never counted as signed.
                answer.put("signed_unverified", coverage.signedUnverified().numerator());
                return answer;
            }
            case "scanned-coverage":
                return ratio(metric, window, artifacts.scannedCoverage(span, team, service), false);
            case "sbom-coverage":
                return ratio(metric, window, artifacts.sbomCoverage(span, team, service), false);
            case "provenance-coverage":
                return ratio(metric, window, artifacts.provenanceCoverage(span, team, service), false);
            default:
                throw new ResponseStatusException(HttpStatus.NOT_IMPLEMENTED,
                        "Metric '" + metric + "' is defined but its facts are not collected by this version of Assay yet");
        }
    }

    /** The ratio shape of DESIGN §4: {"metric","window","numerator","denominator","ratio"}. */
    private static Map<String, Object> ratio(String metric, String window, Ratio figure, boolean pointInTime) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("metric", metric);
        answer.put("window", window);
        answer.put("numerator", figure.numerator());
        answer.put("denominator", figure.denominator());
        answer.put("ratio", figure.ratio());
        answer.put("point_in_time", pointInTime);
        return answer;
    }

    /** Windows are ISO-8601 durations such as P30D or PT12H. */
    static Duration parseWindow(String window) {
        try {
            Duration duration = Duration.parse(window);
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("window must be a positive ISO-8601 duration, e.g. P90D");
            }
            return duration;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("window '" + window + "' is not an ISO-8601 duration such as P90D");
        }
    }

    @ExceptionHandler(ResponseStatusException.class)
    ProblemDetail status(ResponseStatusException e) {
        return ProblemDetail.forStatusAndDetail(e.getStatusCode(), e.getReason());
    }
}

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

import dev.assay.catalog.Catalog;
import dev.assay.catalog.Ratio;
import dev.assay.common.ApiController;

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

    MetricsApiController(Catalog catalog) {
        this.catalog = catalog;
    }

    @GetMapping("/api/v1/metrics/{metric}")
    Map<String, Object> metric(@PathVariable String metric, @RequestParam(defaultValue = "P90D") String window,
            @RequestParam(required = false) String team, @RequestParam(required = false) String service,
            @RequestParam(required = false) String severity) {
        parseWindow(window);
        if (!DEFINED.contains(metric)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "Unknown metric '" + metric + "'; defined: " + DEFINED);
        }
        if (!metric.equals("ownership-coverage")) {
            throw new ResponseStatusException(HttpStatus.NOT_IMPLEMENTED,
                    "Metric '" + metric + "' is defined but its facts are not collected by this version of Assay yet");
        }
        Ratio coverage = catalog.ownershipCoverage(team, service);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("metric", metric);
        answer.put("window", window);
        answer.put("numerator", coverage.numerator());
        answer.put("denominator", coverage.denominator());
        answer.put("ratio", coverage.ratio());
        // Ownership is a point-in-time fact: the window is echoed but does not select anything.
        answer.put("point_in_time", true);
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

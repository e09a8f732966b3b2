package dev.assay.findings;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Time to remediate (DESIGN §5) over a window ending at {@code asOf}: for findings fixed in the
 * window, fixed − first seen, in seconds, as median, p90 and mean with the count n, and a 90%
 * bootstrap interval of the median. {@code excluded} counts findings closed in the window without a
 * fix (false positive, risk accepted): they have no remediation time and are shown, not hidden.
 *
 * @param medianCi90 the 90% bootstrap confidence interval of the median [low, high]; null when n = 0
 * @param tooFew     n is below the minimum sample: show "too few findings" rather than a trend
 */
public record RemediationTime(String window, Instant from, Instant asOf, String team, String service, String severity,
        int n, int excluded, Double median, Double p90, Double mean, double[] medianCi90, boolean tooFew) {

    public static final String METRIC = "time-to-remediate";

    /** The answer of {@code GET /api/v1/metrics/time-to-remediate}: the duration shape of DESIGN §4. */
    public Map<String, Object> toMetric() {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("metric", METRIC);
        answer.put("window", window);
        answer.put("n", n);
        answer.put("excluded", excluded);
        answer.put("median_s", median);
        answer.put("p90_s", p90);
        answer.put("mean_s", mean);
        answer.put("median_ci90_s", medianCi90 == null ? null : List.of(medianCi90[0], medianCi90[1]));
        answer.put("too_few", tooFew);
        answer.put("as_of", asOf.toString());
        return answer;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RemediationTime r && toMetric().equals(r.toMetric()) && Arrays.equals(medianCi90, r.medianCi90);
    }

    @Override
    public int hashCode() {
        return toMetric().hashCode();
    }

    @Override
    public String toString() {
        return toMetric().toString();
    }
}

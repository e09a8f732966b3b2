package dev.assay.incidents;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One incident duration figure (MTTD, MTTA or MTTR) over a window, as DESIGN §5 defines it: the
 * count n of measured incidents, the incidents excluded and why, median, p90 and mean in seconds,
 * the bootstrap 90% interval of the median, "too few incidents" below the configured n, the
 * incident count and total impact minutes of the window, the samples (for the distribution) and
 * the comparison with the previous period of the same length.
 *
 * @param metric            {@code mttd}, {@code mtta} or {@code mttr}
 * @param window            the window as asked for (an ISO-8601 duration such as {@code P90D})
 * @param from              incidents whose first timestamp is at or after this instant ...
 * @param to                ... and before this one
 * @param n                 incidents measured
 * @param excluded          incidents in the window that could not be measured (see {@code exclusions})
 * @param medianSeconds     null when n = 0, like every statistic below
 * @param tooFew            n is below {@code minSample}: show the values, but no trend or comparison
 * @param incidentCount     incidents in the window (production only, drills never count): measured or not
 * @param totalImpactMinutes sum of the impact of those incidents whose impact start (or detection) and
 *                          end are known, in minutes
 * @param impactUnknown     incidents of the window whose impact could not be added (still open, inconsistent)
 * @param samples           the measured incidents, shortest first
 */
public record DurationFigure(String metric, String window, Instant from, Instant to, int n, int excluded,
        List<Exclusion> exclusions, Double medianSeconds, Double p90Seconds, Double meanSeconds, Double ci90LowSeconds,
        Double ci90HighSeconds, boolean tooFew, int minSample, int incidentCount, double totalImpactMinutes,
        int impactUnknown, List<Sample> samples, Comparison comparison) {

    public DurationFigure {
        exclusions = List.copyOf(exclusions);
        samples = List.copyOf(samples);
    }

    /** An incident of the window that this figure could not measure, and why. */
    public record Exclusion(long incidentId, String reference, String title, String reason) {
    }

    /** A measured incident: one point of the distribution. */
    public record Sample(long incidentId, String reference, String title, double seconds) {

        public String text() {
            return Durations.spellSeconds(seconds);
        }
    }

    /**
     * This window against the previous window of the same length.
     *
     * @param pValue     two-sided permutation test on the difference of medians; null when either
     *                   period has too few incidents to test
     * @param detectable p is below the significance level
     * @param label      what the page says: "no detectable change", "too few incidents to compare",
     *                   or "MTTR fell by 12 min (p = 0.004)"
     */
    public record Comparison(Instant previousFrom, Instant previousTo, int previousN, Double previousMedianSeconds,
            Double differenceSeconds, Double pValue, boolean detectable, String label) {
    }

    /** The display name: MTTD, MTTA or MTTR. */
    public String name() {
        return metric.toUpperCase(java.util.Locale.ROOT);
    }

    /** What the figure measures, in words. */
    public String definition() {
        return switch (metric) {
            case "mttd" -> "time to detect: detected − impact began";
            case "mtta" -> "time to acknowledge: acknowledged − detected";
            case "mttr" -> "time to restore: (mitigated, else resolved) − detected";
            default -> metric;
        };
    }

    public String medianText() {
        return Durations.spellSeconds(medianSeconds);
    }

    public String p90Text() {
        return Durations.spellSeconds(p90Seconds);
    }

    public String meanText() {
        return Durations.spellSeconds(meanSeconds);
    }

    public String ciText() {
        return ci90LowSeconds == null ? "—"
                : Durations.spellSeconds(ci90LowSeconds) + " – " + Durations.spellSeconds(ci90HighSeconds);
    }

    /**
     * The answer of {@code GET /api/v1/metrics/{metric}} (DESIGN §4): exactly
     * {@code {"metric","window","n","excluded","median_s","p90_s","mean_s","median_ci90_s":[lo,hi]}}
     * first, then added fields (never renamed): {@code too_few_incidents}, {@code min_sample},
     * {@code incident_count}, {@code total_impact_minutes}, {@code impact_unknown}, {@code from},
     * {@code to}, {@code excluded_incidents} [{@code id}, {@code reference}, {@code reason}] and
     * {@code comparison}. With n = 0 the statistics and {@code median_ci90_s} are null.
     */
    public Map<String, Object> toApi(String metric, String window) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("metric", metric);
        answer.put("window", window);
        answer.put("n", n);
        answer.put("excluded", excluded);
        answer.put("median_s", medianSeconds);
        answer.put("p90_s", p90Seconds);
        answer.put("mean_s", meanSeconds);
        answer.put("median_ci90_s", ci90LowSeconds == null ? null : Arrays.asList(ci90LowSeconds, ci90HighSeconds));
        answer.put("too_few_incidents", tooFew);
        answer.put("min_sample", minSample);
        answer.put("incident_count", incidentCount);
        answer.put("total_impact_minutes", totalImpactMinutes);
        answer.put("impact_unknown", impactUnknown);
        answer.put("from", from.toString());
        answer.put("to", to.toString());
        List<Map<String, Object>> excludedIncidents = new ArrayList<>();
        for (Exclusion exclusion : exclusions) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", exclusion.incidentId());
            item.put("reference", exclusion.reference());
            item.put("reason", exclusion.reason());
            excludedIncidents.add(item);
        }
        answer.put("excluded_incidents", excludedIncidents);
        if (comparison != null) {
            Map<String, Object> previous = new LinkedHashMap<>();
            previous.put("from", comparison.previousFrom().toString());
            previous.put("to", comparison.previousTo().toString());
            previous.put("n", comparison.previousN());
            previous.put("median_s", comparison.previousMedianSeconds());
            previous.put("difference_s", comparison.differenceSeconds());
            previous.put("p_value", comparison.pValue());
            previous.put("detectable", comparison.detectable());
            previous.put("label", comparison.label());
            answer.put("comparison", previous);
        }
        return answer;
    }
}

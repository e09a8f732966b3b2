package dev.assay.builds.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The build anomaly rule (DESIGN §5, docs/builds.md): a robust z-score of a run's duration against
 * the recent successful runs of the same workflow. With the median m and the median absolute
 * deviation MAD of the history, the score is |x − m| / (1.4826 · MAD); when MAD is 0 (more than half
 * the history took exactly the same time) the mean absolute deviation stands in, scaled by 1.2533,
 * and when that is 0 too, one second. A run is anomalous when the history has at least
 * {@link #MIN_HISTORY} runs, the score is above {@link #THRESHOLD} and the run differs from the
 * median by at least {@link #MIN_RELATIVE_CHANGE} of it (a regular history must not flag a run a few
 * seconds off).
 */
public final class DurationAnomalyRule {

    public static final int MIN_HISTORY = 10;
    public static final int MAX_HISTORY = 30;
    public static final double THRESHOLD = 3.5;
    public static final double MIN_RELATIVE_CHANGE = 0.10;

    private DurationAnomalyRule() {
    }

    public record Verdict(double median, double mad, double score, int historySize) {
    }

    /** The verdict when the run is anomalous, else empty. */
    public static Optional<Verdict> check(long durationS, List<Long> history) {
        if (history.size() < MIN_HISTORY) {
            return Optional.empty();
        }
        double[] values = history.stream().mapToDouble(Long::doubleValue).sorted().toArray();
        double median = median(values);
        double[] deviations = Arrays.stream(values).map(v -> Math.abs(v - median)).sorted().toArray();
        double mad = median(deviations);
        double scale = 1.4826 * mad;
        if (scale == 0) {
            scale = 1.2533 * Arrays.stream(deviations).average().orElse(0);
        }
        if (scale == 0) {
            scale = 1;
        }
        double distance = Math.abs(durationS - median);
        double score = distance / scale;
        if (score > THRESHOLD && distance >= MIN_RELATIVE_CHANGE * median) {
            return Optional.of(new Verdict(median, mad, score, values.length));
        }
        return Optional.empty();
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}

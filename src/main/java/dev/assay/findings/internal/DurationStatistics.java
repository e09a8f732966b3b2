package dev.assay.findings.internal;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Median, p90, mean and a bootstrap confidence interval of the median, for durations in seconds
 * (DESIGN §5). Percentiles interpolate linearly between the closest ranks — numpy's default
 * ({@code method="linear"}) and the spreadsheets' PERCENTILE.INC: for sorted x of n values, the
 * p-th percentile is at rank h = p·(n−1), i.e. x[⌊h⌋] + (h−⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]); so the median
 * of an even count is the mean of the two middle values.
 * <p>
 * The 90% interval of the median is the percentile bootstrap: {@code resamples} samples of n drawn
 * with replacement, the median of each, and the 5th and 95th percentiles of those medians. The
 * random generator is seeded with a constant so the same data always gives the same interval (a
 * page and the API never disagree, and tests can assert it).
 */
public record DurationStatistics(int n, Double median, Double p90, Double mean, double[] medianCi90) {

    public static final long SEED = 20_240_601L;

    public static DurationStatistics of(double[] values, int resamples) {
        if (values.length == 0) {
            return new DurationStatistics(0, null, null, null, null);
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(sorted).sum() / sorted.length;
        return new DurationStatistics(sorted.length, percentile(sorted, 0.5), percentile(sorted, 0.9), mean,
                bootstrapMedian(sorted, resamples));
    }

    /** The p-th quantile (0 ≤ p ≤ 1) of sorted values, by linear interpolation between closest ranks. */
    public static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        double h = p * (sorted.length - 1);
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    static double[] bootstrapMedian(double[] sorted, int resamples) {
        SplittableRandom random = new SplittableRandom(SEED);
        int n = sorted.length;
        double[] medians = new double[resamples];
        double[] sample = new double[n];
        for (int b = 0; b < resamples; b++) {
            for (int i = 0; i < n; i++) {
                sample[i] = sorted[random.nextInt(n)];
            }
            Arrays.sort(sample);
            medians[b] = percentile(sample, 0.5);
        }
        Arrays.sort(medians);
        return new double[] {percentile(medians, 0.05), percentile(medians, 0.95)};
    }
}

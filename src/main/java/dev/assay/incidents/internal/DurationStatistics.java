package dev.assay.incidents.internal;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The statistics of DESIGN §5, on durations in seconds.
 * <ul>
 * <li>Percentiles interpolate linearly between the closest ranks (numpy's default, "type 7",
 * spreadsheets' PERCENTILE.INC): for p in [0, 1] over n sorted values, h = (n − 1)·p and the
 * percentile is x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]). The median is p = 0.5, so an even count
 * gives the mean of the two middle values.</li>
 * <li>The 90% confidence interval of the median is a percentile bootstrap: resample n values with
 * replacement, take the median, repeat; the interval is the 5th and 95th percentile of those
 * medians. The random generator is seeded, so the same incidents always give the same interval.</li>
 * <li>Whether two periods differ is a two-sided permutation test on the difference of medians:
 * pool both samples, shuffle, split into the two sizes, and count how often the shuffled
 * difference is at least as large as the observed one; p = (count + 1) / (permutations + 1).</li>
 * </ul>
 */
public final class DurationStatistics {

    private DurationStatistics() {
    }

    /** @param sorted ascending, not empty */
    public static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        double h = (sorted.length - 1) * p;
        int lower = (int) Math.floor(h);
        int upper = Math.min(lower + 1, sorted.length - 1);
        return sorted[lower] + (h - lower) * (sorted[upper] - sorted[lower]);
    }

    public static double mean(double[] values) {
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        return sum / values.length;
    }

    /**
     * @param sorted ascending, not empty
     * @return {low, high}: the 5th and 95th percentiles of the bootstrap medians
     */
    public static double[] bootstrapMedianCi90(double[] sorted, int resamples, long seed) {
        int n = sorted.length;
        SplittableRandom random = new SplittableRandom(seed);
        double[] medians = new double[resamples];
        int[] counts = new int[n];
        for (int b = 0; b < resamples; b++) {
            Arrays.fill(counts, 0);
            for (int i = 0; i < n; i++) {
                counts[random.nextInt(n)]++;
            }
            // The resample, sorted, is each sorted value repeated counts[i] times: walk to its middle.
            medians[b] = (valueAtRank(sorted, counts, (n - 1) / 2) + valueAtRank(sorted, counts, n / 2)) / 2.0;
        }
        Arrays.sort(medians);
        return new double[] {percentile(medians, 0.05), percentile(medians, 0.95)};
    }

    private static double valueAtRank(double[] sorted, int[] counts, int rank) {
        int seen = 0;
        for (int i = 0; i < sorted.length; i++) {
            seen += counts[i];
            if (seen > rank) {
                return sorted[i];
            }
        }
        return sorted[sorted.length - 1];
    }

    /**
     * @return the two-sided p-value of the difference of the medians of {@code before} and {@code after}
     */
    public static double permutationPValue(double[] before, double[] after, int permutations, long seed) {
        double observed = Math.abs(median(after) - median(before));
        double[] pooled = new double[before.length + after.length];
        System.arraycopy(before, 0, pooled, 0, before.length);
        System.arraycopy(after, 0, pooled, before.length, after.length);
        SplittableRandom random = new SplittableRandom(seed);
        double[] first = new double[before.length];
        double[] second = new double[after.length];
        int atLeastAsExtreme = 0;
        for (int k = 0; k < permutations; k++) {
            for (int i = pooled.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                double swap = pooled[i];
                pooled[i] = pooled[j];
                pooled[j] = swap;
            }
            System.arraycopy(pooled, 0, first, 0, first.length);
            System.arraycopy(pooled, first.length, second, 0, second.length);
            // A tolerance of a microsecond: equal medians computed in another order must count as equal.
            if (Math.abs(medianInPlace(second) - medianInPlace(first)) >= observed - 1e-6) {
                atLeastAsExtreme++;
            }
        }
        return (atLeastAsExtreme + 1.0) / (permutations + 1.0);
    }

    /** The median of unsorted values (sorts a copy). */
    public static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return percentile(sorted, 0.5);
    }

    /**
     * The median of {@code values}, reordering them: the same value as {@link #median}, found by
     * selection in linear expected time instead of a sort (the permutation test takes thousands).
     */
    static double medianInPlace(double[] values) {
        int n = values.length;
        if (n == 0) {
            throw new IllegalArgumentException("no values");
        }
        int upper = n / 2;
        double high = select(values, upper);
        if (n % 2 == 1) {
            return high;
        }
        // After selecting rank n/2, every value left of it is no greater: the rank n/2 − 1 is their maximum.
        double low = values[0];
        for (int i = 1; i < upper; i++) {
            low = Math.max(low, values[i]);
        }
        return low + 0.5 * (high - low);
    }

    /** Hoare's selection: puts the value of rank {@code k} (0-based, ascending) at index k, smaller ones left of it. */
    private static double select(double[] a, int k) {
        int left = 0;
        int right = a.length - 1;
        while (left < right) {
            double pivot = medianOfThree(a[left], a[(left + right) >>> 1], a[right]);
            int i = left;
            int j = right;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    double swap = a[i];
                    a[i] = a[j];
                    a[j] = swap;
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                right = j;
            } else if (k >= i) {
                left = i;
            } else {
                return a[k];
            }
        }
        return a[k];
    }

    private static double medianOfThree(double x, double y, double z) {
        return Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
    }

    /** Seconds to the millisecond, the precision of the stored timestamps' sources. */
    public static double round(double seconds) {
        return Math.round(seconds * 1000.0) / 1000.0;
    }
}

package dev.assay.bench;

import java.util.Arrays;

/** Percentiles of measured durations by linear interpolation between closest ranks (NumPy's default). */
record Percentiles(double p50Ms, double p95Ms, double p99Ms, int samples) {

    static Percentiles ofNanos(long[] nanos) {
        double[] ms = Arrays.stream(nanos).mapToDouble(n -> n / 1_000_000.0).sorted().toArray();
        return new Percentiles(at(ms, 0.50), at(ms, 0.95), at(ms, 0.99), ms.length);
    }

    static double at(double[] sorted, double quantile) {
        double rank = quantile * (sorted.length - 1);
        int low = (int) Math.floor(rank);
        int high = (int) Math.ceil(rank);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }
}

package dev.assay.metrics;

import java.time.LocalDate;
import java.util.Locale;

/** A ratio figure as the rollup job stored it on {@code day}; the ratio is null when the denominator is 0. */
public record RolledRatio(String metric, String window, LocalDate rollupDay, long numerator, long denominator) {

    public Double ratio() {
        return denominator == 0 ? null : (double) numerator / denominator;
    }

    /** "88.9%" or "n/a". */
    public String percent() {
        Double ratio = ratio();
        return ratio == null ? "n/a" : String.format(Locale.ROOT, "%.1f%%", ratio * 100);
    }
}

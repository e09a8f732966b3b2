package dev.assay.catalog;

/** numerator / denominator; the ratio is null when there is nothing to divide (never a made-up 0% or 100%). */
public record Ratio(long numerator, long denominator) {

    public Double ratio() {
        return denominator == 0 ? null : (double) numerator / denominator;
    }

    /** "88.9%" or "n/a". */
    public String percent() {
        Double ratio = ratio();
        return ratio == null ? "n/a" : String.format(java.util.Locale.ROOT, "%.1f%%", ratio * 100);
    }
}

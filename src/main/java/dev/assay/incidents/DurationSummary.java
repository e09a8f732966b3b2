package dev.assay.incidents;

/**
 * The statistics of one sample of durations exactly as {@link DurationFigure} reports them (rounded
 * to the millisecond; null when the sample is empty), for figures recombined from rollups.
 */
public record DurationSummary(int n, Double medianSeconds, Double p90Seconds, Double meanSeconds, Double ci90LowSeconds,
        Double ci90HighSeconds, boolean tooFew) {
}

package dev.assay.metrics;

import java.time.Instant;
import java.util.List;

import dev.assay.incidents.DurationFigure;
import dev.assay.incidents.Durations;

/**
 * A duration figure read from the rollups: the statistics of the samples of [from, to) (incident
 * durations), or the stored statistics of the day (time to remediate, whose comparison is null).
 *
 * @param samples    the measured durations in seconds, ascending (empty for stored statistics)
 * @param comparison the previous period and whether the change is detectable; null when not computed
 */
public record RolledDuration(String metric, String window, Instant from, Instant to, int n, int excluded,
        Double medianSeconds, Double p90Seconds, Double meanSeconds, Double ci90LowSeconds, Double ci90HighSeconds,
        boolean tooFew, List<Double> samples, DurationFigure.Comparison comparison) {

    public RolledDuration {
        samples = List.copyOf(samples);
    }

    public String medianText() {
        return medianSeconds == null ? "n/a" : Durations.spellSeconds(medianSeconds);
    }

    public String p90Text() {
        return p90Seconds == null ? "n/a" : Durations.spellSeconds(p90Seconds);
    }

    public String meanText() {
        return meanSeconds == null ? "n/a" : Durations.spellSeconds(meanSeconds);
    }
}

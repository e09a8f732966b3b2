package dev.assay.metrics;

import java.time.Instant;

import dev.assay.incidents.DurationFigure;
import dev.assay.incidents.Durations;

/**
 * A duration figure read from the rollups: the statistics of the incidents of [from, to) as the
 * rollup job stored them, or of time to remediate (whose interval and comparison are null).
 *
 * @param comparison the previous period and whether the change is detectable; null when not computed
 */
public record RolledDuration(String metric, String window, Instant from, Instant to, int n, int excluded,
        Double medianSeconds, Double p90Seconds, Double meanSeconds, Double ci90LowSeconds, Double ci90HighSeconds,
        boolean tooFew, DurationFigure.Comparison comparison) {

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

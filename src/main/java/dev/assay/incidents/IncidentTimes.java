package dev.assay.incidents;

import java.time.Duration;
import java.time.Instant;

/**
 * The five timestamps of an incident (DESIGN §5) and the durations defined on them:
 * <ul>
 * <li>TTD (time to detect) = detected − started (impact began);</li>
 * <li>TTA (time to acknowledge) = acknowledged − detected;</li>
 * <li>TTR (time to restore) = (mitigated, else resolved) − detected;</li>
 * <li>impact = (mitigated, else resolved) − (started, else detected).</li>
 * </ul>
 * A duration whose timestamps are missing, or which comes out negative (detected before impact
 * began, ...), is not measured: it carries the reason instead, and the figures list it as excluded.
 * Nothing is repaired.
 *
 * @param startedFromReview the impact start was set in the post-incident review (the tracker had none,
 *                          or the review corrected it)
 */
public record IncidentTimes(Instant started, boolean startedFromReview, Instant detected, Instant acknowledged,
        Instant mitigated, Instant resolved) {

    /** A duration, or why there is none. Exactly one of the two is set. */
    public record Measurement(Duration duration, String exclusion) {

        public boolean measured() {
            return duration != null;
        }

        public double seconds() {
            return duration.toMillis() / 1000.0;
        }
    }

    public Measurement ttd() {
        if (started == null) {
            return excluded("impact start unknown");
        }
        if (detected == null) {
            return excluded("detection time unknown");
        }
        return between(started, detected, "detected %s before impact began (inconsistent timestamps)");
    }

    public Measurement tta() {
        if (detected == null) {
            return excluded("detection time unknown");
        }
        if (acknowledged == null) {
            return excluded("no acknowledgement time");
        }
        return between(detected, acknowledged, "acknowledged %s before detection (inconsistent timestamps)");
    }

    public Measurement ttr() {
        if (detected == null) {
            return excluded("detection time unknown");
        }
        Instant end = restored();
        if (end == null) {
            return excluded("not mitigated or resolved yet");
        }
        return between(detected, end, "restored %s before detection (inconsistent timestamps)");
    }

    /** How long the impact lasted, for the total impact minutes beside every figure. */
    public Measurement impact() {
        Instant start = started != null ? started : detected;
        Instant end = restored();
        if (start == null || end == null) {
            return excluded("impact start or end unknown");
        }
        return between(start, end, "impact ended %s before it began (inconsistent timestamps)");
    }

    /** When service was restored: mitigation, else resolution. */
    public Instant restored() {
        return mitigated != null ? mitigated : resolved;
    }

    public Measurement of(String metric) {
        return switch (metric) {
            case "mttd" -> ttd();
            case "mtta" -> tta();
            case "mttr" -> ttr();
            default -> throw new IllegalArgumentException("Unknown incident duration '" + metric + "'; known: mttd, mtta, mttr");
        };
    }

    private static Measurement between(Instant from, Instant to, String negative) {
        Duration duration = Duration.between(from, to);
        if (duration.isNegative()) {
            return excluded(String.format(negative, Durations.spell(duration.negated())));
        }
        return new Measurement(duration, null);
    }

    private static Measurement excluded(String reason) {
        return new Measurement(null, reason);
    }
}

package dev.assay.incidents.internal.collect;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import dev.assay.collect.SourceDefinition;

/** Reading the duration options of a source ({@code lookback: P180D}), with a clear error. */
public final class Windows {

    private Windows() {
    }

    public static Duration option(SourceDefinition source, String key, Duration fallback) {
        Object value = source.options().get(key);
        if (value == null) {
            return fallback;
        }
        try {
            Duration duration = Duration.parse(String.valueOf(value));
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("Source '" + source.id() + "': '" + key + "' must be positive");
            }
            return duration;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Source '" + source.id() + "': '" + key + "' = '" + value
                    + "' is not an ISO-8601 duration such as P180D");
        }
    }

    /**
     * Where an incremental read starts: at the watermark, pulled back to the oldest incident of
     * the source that is not resolved yet (its acknowledgement or resolution may have come since;
     * upstreams that filter by creation time would not return it otherwise), but never further back
     * than the lookback. Without a watermark (first run): the lookback.
     */
    public static Instant since(Instant watermark, Instant oldestUnresolved, Instant now, Duration lookback) {
        Instant earliest = now.minus(lookback);
        if (watermark == null) {
            return earliest;
        }
        if (oldestUnresolved == null || !oldestUnresolved.isBefore(watermark)) {
            return watermark;
        }
        Instant pulledBack = oldestUnresolved.isBefore(earliest) ? earliest : oldestUnresolved;
        return pulledBack.isBefore(watermark) ? pulledBack : watermark;
    }
}

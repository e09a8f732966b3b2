package dev.assay.collect;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Per-source watermarks kept in {@link Cursors}: instants that only move forward. Written inside
 * the chunk transaction, so a watermark never runs ahead of the records it covers.
 */
public final class Watermarks {

    private Watermarks() {
    }

    public static Optional<Instant> get(Cursors cursors, String sourceId, String key) {
        return cursors.get(sourceId, key).flatMap(value -> {
            try {
                return Optional.of(Instant.parse(value));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        });
    }

    public static void advance(Cursors cursors, String sourceId, String key, Instant to) {
        if (to == null || key == null) {
            return;
        }
        Optional<Instant> current = get(cursors, sourceId, key);
        if (current.isEmpty() || to.isAfter(current.get())) {
            cursors.put(sourceId, key, to.toString());
        }
    }
}

package dev.assay.builds.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import dev.assay.collect.RecordRejectedException;

/**
 * CI timestamps to instants. GitHub writes {@code 2020-01-22T19:33:08Z}, GitLab
 * {@code 2016-08-11T11:28:34.085Z} (or with an offset on self-managed instances), Jenkins epoch
 * milliseconds. A timestamp without an offset is refused: its zone would be a guess.
 */
final class Timestamps {

    private Timestamps() {
    }

    /** The instant, null for a missing value; a value that is not ISO-8601 with an offset is rejected. */
    static Instant parse(String value, String field) throws RecordRejectedException {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.strip();
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new RecordRejectedException(field + " '" + (text.length() > 60 ? text.substring(0, 57) + "..." : text)
                    + "' is not an ISO-8601 timestamp with a time-zone offset");
        }
    }
}

package dev.assay.incidents.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

import dev.assay.collect.RecordRejectedException;

/**
 * Upstream timestamps to instants. Every tracker writes ISO-8601 with an offset, but not the same
 * way: PagerDuty {@code 2023-11-19T05:51:15Z}, Opsgenie {@code 2021-11-24T12:14:41.03Z}, Jira
 * {@code 2020-12-03T14:05:20.974+0100} (no colon in the offset). A timestamp without an offset is
 * refused: guessing its zone would move every duration computed from it.
 */
public final class Timestamps {

    private static final DateTimeFormatter LENIENT_OFFSET = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral('T')
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .optionalStart().appendLiteral(':').appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .toFormatter();

    private Timestamps() {
    }

    /**
     * @param field named in the rejection, e.g. {@code created_at}
     * @return the instant, or null when the value is null or blank
     * @throws RecordRejectedException the value is not a timestamp with an offset
     */
    public static Instant parse(String value, String field) throws RecordRejectedException {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.strip();
        try {
            var parsed = LENIENT_OFFSET.parseBest(text, OffsetDateTime::from, java.time.LocalDateTime::from);
            if (parsed instanceof OffsetDateTime offset) {
                return offset.toInstant();
            }
            throw new RecordRejectedException(field + " '" + abbreviate(text) + "' has no time-zone offset;"
                    + " Assay does not guess the zone of a timestamp");
        } catch (DateTimeParseException e) {
            throw new RecordRejectedException(field + " '" + abbreviate(text) + "' is not an ISO-8601 timestamp");
        }
    }

    /** Epoch milliseconds (Opsgenie's report durations are milliseconds from createdAt). */
    public static Instant plusMillis(Instant base, long millis) {
        return base == null ? null : base.plusMillis(millis);
    }

    static String abbreviate(String text) {
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }
}

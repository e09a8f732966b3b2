package dev.assay.incidents.internal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
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
            // Strict: an impossible date such as 2023-02-29 is refused, not moved to the 28th.
            .toFormatter().withResolverStyle(ResolverStyle.STRICT);

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
        Instant common = utcSeconds(text);
        if (common != null) {
            return common;
        }
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

    /**
     * The commonest form, {@code 2023-11-19T05:51:15Z} (PagerDuty writes every timestamp so), read
     * digit by digit: the general formatter costs a collection several per cent of its time. Null for
     * any other form or an impossible date, which the general formatter then reads or rejects.
     */
    private static Instant utcSeconds(String text) {
        if (text.length() != 20 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(19) != 'Z') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The number written in {@code text[from, to)}, or -1 if a character is not an ASCII digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** Epoch milliseconds (Opsgenie's report durations are milliseconds from createdAt). */
    public static Instant plusMillis(Instant base, long millis) {
        return base == null ? null : base.plusMillis(millis);
    }

    static String abbreviate(String text) {
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }
}

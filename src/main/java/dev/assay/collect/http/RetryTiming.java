package dev.assay.collect.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * How long to wait before retrying an upstream request: the one rule every client of an upstream
 * API follows (UpstreamClient, and the OCI registry client that needs HEAD and its own auth flow).
 */
public final class RetryTiming {

    private RetryTiming() {
    }

    /** Retry-After is either seconds or an HTTP date (RFC 9110); a date in the past means now. */
    public static Optional<Duration> retryAfter(Optional<String> header, Instant now) {
        return header.map(String::trim).flatMap(value -> {
            try {
                return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value))));
            } catch (NumberFormatException notSeconds) {
                try {
                    Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                    Duration wait = Duration.between(now, at);
                    return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
                } catch (DateTimeParseException notADate) {
                    return Optional.empty();
                }
            }
        });
    }

    /** Exponential backoff from the settings' initial wait, doubling per attempt, capped at their maximum. */
    public static Duration backoff(UpstreamSettings settings, int attempt) {
        Duration wait = settings.initialBackoff().multipliedBy(1L << Math.min(attempt - 1, 20));
        return wait.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : wait;
    }
}

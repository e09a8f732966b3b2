package dev.assay.incidents;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Which incidents a figure or list covers.
 *
 * @param window   an ISO-8601 duration ({@code P90D}, {@code PT12H}); null for all time (lists only)
 * @param to       the end of the window (exclusive); null for now
 * @param team     catalog team: incidents that affected a service it owns
 * @param service  catalog service name
 * @param severity as the tracker wrote it (case-insensitive)
 * @param source   source id
 * @param drills   null = production and drills (lists), false = production only (the default of
 *                 figures: drills never count in production MTTx), true = drills only
 */
public record IncidentFilter(String window, Instant to, String team, String service, String severity, String source,
        Boolean drills) {

    /** The figures' filter: production incidents of the window ending now. */
    public static IncidentFilter production(String window, String team, String service, String severity) {
        return new IncidentFilter(window, null, blankToNull(team), blankToNull(service), blankToNull(severity), null, false);
    }

    /**
     * @throws IllegalArgumentException the window is not a positive ISO-8601 duration
     */
    public Duration windowDuration() {
        if (window == null) {
            return null;
        }
        try {
            Duration duration = Duration.parse(window);
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("window must be a positive ISO-8601 duration, e.g. P90D");
            }
            return duration;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("window '" + window + "' is not an ISO-8601 duration such as P90D");
        }
    }

    public IncidentFilter withDrills(Boolean value) {
        return new IncidentFilter(window, to, team, service, severity, source, value);
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}

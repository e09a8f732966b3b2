package dev.assay.findings;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The severity of a finding, as scanners rate it; {@link #rank()} orders them (critical highest). */
public enum Severity {

    CRITICAL(4), HIGH(3), MEDIUM(2), LOW(1), UNKNOWN(0);

    private final int rank;

    Severity(int rank) {
        this.rank = rank;
    }

    public int rank() {
        return rank;
    }

    /** The lower-case name used in the database, URLs and the API. */
    public String slug() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean higherThan(Severity other) {
        return rank > other.rank;
    }

    public static Severity ofRank(int rank) {
        return Arrays.stream(values()).filter(s -> s.rank == rank).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no severity of rank " + rank));
    }

    /**
     * The severity a scanner's word means, case-insensitively: Grype says {@code Negligible}, GitHub
     * and npm say {@code moderate}, SARIF says {@code note}/{@code warning}/{@code error}; anything not
     * rated ({@code none}, {@code unspecified}, empty) is {@link #UNKNOWN}. Empty when the word is not a
     * severity at all, so a caller can reject the entry instead of guessing.
     */
    public static Optional<Severity> fromScanner(String text) {
        if (text == null || text.isBlank()) {
            return Optional.of(UNKNOWN);
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "critical" -> Optional.of(CRITICAL);
            case "high", "error" -> Optional.of(HIGH);
            case "medium", "moderate", "warning" -> Optional.of(MEDIUM);
            case "low", "negligible", "note", "info", "informational" -> Optional.of(LOW);
            case "unknown", "none", "unspecified", "undefined" -> Optional.of(UNKNOWN);
            default -> Optional.empty();
        };
    }

    /** Parses the slug (as in {@code ?severity=high}). */
    public static Severity parse(String slug) {
        return Arrays.stream(values()).filter(s -> s.slug().equals(slug == null ? null : slug.trim().toLowerCase(Locale.ROOT)))
                .findFirst().orElseThrow(() -> new IllegalArgumentException(
                        "severity '" + slug + "' must be one of critical, high, medium, low, unknown"));
    }
}

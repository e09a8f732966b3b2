package dev.assay.artifacts.internal.parse;

import java.util.Locale;

/**
 * One severity scale for every scanner. Scanners name the same levels differently (Trivy "CRITICAL",
 * Grype "Negligible", OSV/GitHub "MODERATE", SARIF "error"); this is where they meet.
 */
public enum Severity {
    CRITICAL, HIGH, MEDIUM, LOW, NONE, UNKNOWN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A scanner's own word for a severity; anything unrecognised is UNKNOWN, never guessed upwards. */
    public static Severity fromText(String text) {
        if (text == null) {
            return UNKNOWN;
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "critical" -> CRITICAL;
            case "high", "important" -> HIGH;
            case "medium", "moderate" -> MEDIUM;
            // Grype's "negligible" sits below low; it is kept in the low bucket rather than lost
            case "low", "negligible" -> LOW;
            case "none", "info", "informational" -> NONE;
            default -> UNKNOWN;
        };
    }

    /**
     * CVSS v3 qualitative rating (FIRST, CVSS v3.1 specification §5), which GitHub also uses for SARIF
     * {@code security-severity}: 9.0–10.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low, 0 none.
     */
    public static Severity fromScore(double score) {
        if (score >= 9.0) {
            return CRITICAL;
        }
        if (score >= 7.0) {
            return HIGH;
        }
        if (score >= 4.0) {
            return MEDIUM;
        }
        if (score > 0.0) {
            return LOW;
        }
        return NONE;
    }

    public static Severity fromLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}

package dev.assay.artifacts.internal.parse;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The CVSS v3.0 / v3.1 base score of a vector string, by the formulas of the FIRST specification
 * (v3.1 §7.1, with its Roundup that avoids floating-point surprises). OSV records carry only the
 * vector ({@code severity[].score}), so the score is computed here rather than trusted from elsewhere.
 */
public final class Cvss3 {

    private Cvss3() {
    }

    /** The base score, or empty when the text is not a complete CVSS v3 vector. */
    public static Optional<Double> baseScore(String vector) {
        if (vector == null || !vector.startsWith("CVSS:3.")) {
            return Optional.empty();
        }
        boolean v31 = vector.startsWith("CVSS:3.1/");
        Map<String, String> metrics = new HashMap<>();
        String[] parts = vector.split("/");
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split(":", 2);
            if (kv.length != 2) {
                return Optional.empty();
            }
            metrics.put(kv[0], kv[1]);
        }
        try {
            boolean changed = "C".equals(require(metrics, "S"));
            if (!changed && !"U".equals(metrics.get("S"))) {
                return Optional.empty();
            }
            double av = switch (require(metrics, "AV")) {
                case "N" -> 0.85;
                case "A" -> 0.62;
                case "L" -> 0.55;
                case "P" -> 0.2;
                default -> throw new IllegalArgumentException();
            };
            double ac = switch (require(metrics, "AC")) {
                case "L" -> 0.77;
                case "H" -> 0.44;
                default -> throw new IllegalArgumentException();
            };
            double pr = switch (require(metrics, "PR")) {
                case "N" -> 0.85;
                case "L" -> changed ? 0.68 : 0.62;
                case "H" -> changed ? 0.5 : 0.27;
                default -> throw new IllegalArgumentException();
            };
            double ui = switch (require(metrics, "UI")) {
                case "N" -> 0.85;
                case "R" -> 0.62;
                default -> throw new IllegalArgumentException();
            };
            double c = cia(require(metrics, "C"));
            double in = cia(require(metrics, "I"));
            double a = cia(require(metrics, "A"));
            double iss = 1 - (1 - c) * (1 - in) * (1 - a);
            double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
            double exploitability = 8.22 * av * ac * pr * ui;
            if (impact <= 0) {
                return Optional.of(0.0);
            }
            double raw = changed ? Math.min(1.08 * (impact + exploitability), 10) : Math.min(impact + exploitability, 10);
            return Optional.of(v31 ? roundUp31(raw) : Math.ceil(raw * 10) / 10.0);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String require(Map<String, String> metrics, String key) {
        String value = metrics.get(key);
        if (value == null) {
            throw new IllegalArgumentException(key);
        }
        return value;
    }

    private static double cia(String value) {
        return switch (value) {
            case "H" -> 0.56;
            case "L" -> 0.22;
            case "N" -> 0.0;
            default -> throw new IllegalArgumentException(value);
        };
    }

    /** CVSS v3.1 Appendix A: the smallest number with one decimal that is >= the input. */
    private static double roundUp31(double input) {
        long integer = Math.round(input * 100_000);
        if (integer % 10_000 == 0) {
            return integer / 100_000.0;
        }
        return (Math.floor(integer / 10_000.0) + 1) / 10.0;
    }
}

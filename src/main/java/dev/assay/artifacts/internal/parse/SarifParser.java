package dev.assay.artifacts.internal.parse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/**
 * SARIF 2.1.0 logs (code scanning, secret scanning, IaC and image scanners such as Trivy). Every
 * result of every run is kept.
 * <ul>
 * <li>Severity: a numeric {@code security-severity} property (on the result, else its rule) is a
 * CVSS-like score and wins, as in GitHub code scanning; otherwise the level: the result's
 * {@code level}, else its rule's {@code defaultConfiguration.level}, else {@code warning} (the SARIF
 * default, §3.27.10); error → high, warning → medium, note → low, none → none.</li>
 * <li>Suppression (§3.27.23, §3.35): a result is suppressed when at least one suppression is accepted
 * (a suppression without status counts as accepted). One that is only under review or rejected does
 * not hide the result: a finding someone is still arguing about stays visible.</li>
 * </ul>
 */
public final class SarifParser {

    /** Trivy writes the package facts into the message text: "Package: x\nInstalled Version: y\n…". */
    private static final Pattern MESSAGE_FIELD = Pattern.compile("(?m)^(Package|Installed Version|Fixed Version): (.+)$");

    public ParsedScan parse(JsonNode root) {
        if (!"2.1.0".equals(Json.text(root, "version"))) {
            throw new IllegalArgumentException("not a SARIF 2.1.0 log: version is " + quoted(Json.text(root, "version")));
        }
        JsonNode runs = Json.at(root, "runs");
        if (runs == null || !runs.isArray()) {
            throw new IllegalArgumentException("not a SARIF 2.1.0 log: runs must be a list");
        }
        Set<String> scanners = new LinkedHashSet<>();
        String version = null;
        Instant scannedAt = null;
        List<ArtifactRef> named = new ArrayList<>();
        List<ScanItem> items = new ArrayList<>();
        int runIndex = 0;
        for (JsonNode run : runs) {
            runIndex++;
            JsonNode driver = Json.at(run, "tool", "driver");
            String name = Json.text(driver, "name");
            if (name == null) {
                throw new IllegalArgumentException("SARIF run " + runIndex + " has no tool.driver.name");
            }
            scanners.add(name);
            if (version == null) {
                version = Json.text(driver, "semanticVersion") != null ? Json.text(driver, "semanticVersion")
                        : Json.text(driver, "version");
            }
            for (JsonNode invocation : Json.array(run, "invocations")) {
                Instant at = Json.instant(Json.text(invocation, "endTimeUtc"));
                at = at != null ? at : Json.instant(Json.text(invocation, "startTimeUtc"));
                if (at != null && (scannedAt == null || at.isAfter(scannedAt))) {
                    scannedAt = at;
                }
            }
            for (String reference : Json.texts(run, "properties", "repoDigests")) {
                ArtifactRef.tryParse(reference).ifPresent(named::add);
            }
            List<JsonNode> rules = Json.array(driver, "rules");
            Map<String, JsonNode> rulesById = new HashMap<>();
            rules.forEach(rule -> {
                if (Json.text(rule, "id") != null) {
                    rulesById.putIfAbsent(Json.text(rule, "id"), rule);
                }
            });
            for (JsonNode result : Json.array(run, "results")) {
                items.add(toItem(result, rules, rulesById, runIndex));
            }
        }
        return new ParsedScan("sarif", String.join(", ", scanners), version, scannedAt, named, items);
    }

    private static ScanItem toItem(JsonNode result, List<JsonNode> rules, Map<String, JsonNode> rulesById, int run) {
        JsonNode rule = null;
        Double ruleIndex = Json.number(result, "ruleIndex");
        if (ruleIndex == null) {
            ruleIndex = Json.number(result, "rule", "index");
        }
        if (ruleIndex != null && ruleIndex >= 0 && ruleIndex < rules.size()) {
            rule = rules.get(ruleIndex.intValue());
        }
        String ruleId = Json.text(result, "ruleId") != null ? Json.text(result, "ruleId") : Json.text(result, "rule", "id");
        if (rule == null && ruleId != null) {
            rule = rulesById.get(ruleId);
        }
        if (ruleId == null && rule != null) {
            ruleId = Json.text(rule, "id");
        }
        if (ruleId == null) {
            throw new IllegalArgumentException("a result of SARIF run " + run + " names no rule (ruleId, rule.id or ruleIndex)");
        }
        Double securitySeverity = Json.number(result, "properties", "security-severity");
        if (securitySeverity == null && rule != null) {
            securitySeverity = Json.number(rule, "properties", "security-severity");
        }
        String level = Json.text(result, "level");
        if (level == null && rule != null) {
            level = Json.text(rule, "defaultConfiguration", "level");
        }
        String kind = Json.text(result, "kind");
        Severity severity;
        if (kind != null && !"fail".equals(kind)) {
            severity = Severity.NONE; // pass, review, open, notApplicable, informational: not a failure
        } else if (securitySeverity != null) {
            severity = Severity.fromScore(securitySeverity);
        } else {
            severity = switch (level == null ? "warning" : level) {
                case "error" -> Severity.HIGH;
                case "warning" -> Severity.MEDIUM;
                case "note" -> Severity.LOW;
                case "none" -> Severity.NONE;
                default -> Severity.UNKNOWN;
            };
        }
        String message = Json.text(result, "message", "text");
        Map<String, String> fields = new HashMap<>();
        if (message != null) {
            Matcher m = MESSAGE_FIELD.matcher(message);
            while (m.find()) {
                fields.putIfAbsent(m.group(1), m.group(2).trim());
            }
        }
        String title = rule != null && Json.text(rule, "shortDescription", "text") != null
                ? Json.text(rule, "shortDescription", "text") : message;
        Double cvss = rule == null ? null : Json.number(rule, "properties", "cvssv3_baseScore");
        String vector = rule == null ? null : Json.text(rule, "properties", "cvssv3_vector");
        String suppressionStatus = suppressionStatus(result);
        return new ScanItem(ruleId, kindOf(ruleId, rule), fields.get("Package"), null, null, fields.get("Installed Version"),
                fields.get("Fixed Version"), severity, cvss, vector, title, location(result),
                "accepted".equals(suppressionStatus), suppressionStatus);
    }

    /**
     * The status that decides: {@code accepted} when any suppression is accepted or has no status;
     * else {@code underReview} when one is under review; else {@code rejected}; null when there are none.
     */
    private static String suppressionStatus(JsonNode result) {
        List<JsonNode> suppressions = Json.array(result, "suppressions");
        if (suppressions.isEmpty()) {
            return null;
        }
        boolean underReview = false;
        for (JsonNode suppression : suppressions) {
            String status = Json.text(suppression, "status");
            if (status == null || "accepted".equals(status)) {
                return "accepted";
            }
            underReview |= "underReview".equals(status);
        }
        return underReview ? "underReview" : "rejected";
    }

    private static String kindOf(String ruleId, JsonNode rule) {
        Set<String> tags = new LinkedHashSet<>();
        if (rule != null) {
            Json.texts(rule, "properties", "tags").forEach(t -> tags.add(t.toLowerCase(Locale.ROOT)));
        }
        if (tags.contains("secret") || tags.contains("secrets")) {
            return "secret";
        }
        if (tags.contains("misconfiguration") || tags.contains("iac")) {
            return "misconfiguration";
        }
        if (tags.contains("vulnerability") || ruleId.matches("(?i)(CVE|GHSA|GO|PYSEC|RUSTSEC|OSV)-.*")) {
            return "vulnerability";
        }
        return "code";
    }

    private static String location(JsonNode result) {
        List<JsonNode> locations = Json.array(result, "locations");
        if (locations.isEmpty()) {
            return null;
        }
        JsonNode physical = Json.at(locations.get(0), "physicalLocation");
        String uri = Json.text(physical, "artifactLocation", "uri");
        if (uri == null) {
            return null;
        }
        String line = Json.text(physical, "region", "startLine");
        return line == null ? uri : uri + ":" + line;
    }

    private static String quoted(String text) {
        return text == null ? "missing" : "'" + text + "'";
    }
}

package dev.assay.artifacts.internal.parse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * OSV in the three shapes tools write it: the output of {@code osv-scanner --format json}
 * ({@code results[].packages[].vulnerabilities[]}, with the installed version), an OSV API answer
 * ({@code {"vulns": [...]}}) and bare OSV records (one, or a list). A bare record names no installed
 * version: each affected package becomes one result with the versions that fix it.
 */
public final class OsvParser {

    public ParsedScan parse(JsonNode root) {
        List<ScanItem> items = new ArrayList<>();
        Instant newest = null;
        String schema = null;
        if (root.isObject() && Json.at(root, "results") != null) {
            for (JsonNode result : Json.array(root, "results")) {
                String source = Json.text(result, "source", "path");
                for (JsonNode pkg : Json.array(result, "packages")) {
                    String name = Json.text(pkg, "package", "name");
                    String version = Json.text(pkg, "package", "version");
                    String ecosystem = Json.text(pkg, "package", "ecosystem");
                    for (JsonNode vulnerability : Json.array(pkg, "vulnerabilities")) {
                        requireRecord(vulnerability);
                        items.add(item(vulnerability, name, ecosystem, version, groupScore(pkg, vulnerability),
                                fixedFor(vulnerability, name), source));
                    }
                }
            }
            return new ParsedScan("osv", "osv-scanner", null, null, List.of(), items);
        }
        List<JsonNode> records = new ArrayList<>();
        if (root.isObject() && Json.at(root, "vulns") != null) {
            records.addAll(Json.array(root, "vulns"));
        } else if (root.isArray()) {
            root.forEach(records::add);
        } else {
            records.add(root);
        }
        for (JsonNode record : records) {
            requireRecord(record);
            schema = schema == null ? Json.text(record, "schema_version") : schema;
            Instant modified = Json.instant(Json.text(record, "modified"));
            if (modified != null && (newest == null || modified.isAfter(newest))) {
                newest = modified;
            }
            List<JsonNode> affected = Json.array(record, "affected");
            if (affected.isEmpty()) {
                items.add(item(record, null, null, null, null, null, null));
            }
            for (JsonNode entry : affected) {
                String name = Json.text(entry, "package", "name");
                items.add(item(record, name, Json.text(entry, "package", "ecosystem"), null, null, fixed(entry), null));
            }
        }
        return new ParsedScan("osv", "osv", schema, newest, List.of(), items);
    }

    private static void requireRecord(JsonNode record) {
        if (record == null || !record.isObject() || Json.text(record, "id") == null) {
            throw new IllegalArgumentException("not an OSV record: every vulnerability needs an id");
        }
    }

    private static ScanItem item(JsonNode record, String name, String ecosystem, String installed, Double groupScore,
            String fixed, String location) {
        String vector = null;
        for (JsonNode severity : Json.array(record, "severity")) {
            String type = Json.text(severity, "type");
            if (type != null && type.startsWith("CVSS_V3")) {
                vector = Json.text(severity, "score");
            }
        }
        Double score = vector == null ? groupScore : Cvss3.baseScore(vector).orElse(groupScore);
        String word = Json.text(record, "database_specific", "severity");
        Severity severity = word != null ? Severity.fromText(word)
                : score != null ? Severity.fromScore(score) : Severity.UNKNOWN;
        String title = Json.text(record, "summary");
        return new ScanItem(Json.text(record, "id"), "vulnerability", name, ecosystem, null, installed, fixed, severity, score,
                vector, title, location, false, null);
    }

    /** osv-scanner groups aliases and gives each group its highest CVSS score as text. */
    private static Double groupScore(JsonNode pkg, JsonNode vulnerability) {
        String id = Json.text(vulnerability, "id");
        for (JsonNode group : Json.array(pkg, "groups")) {
            if (Json.texts(group, "ids").contains(id)) {
                return Json.number(group, "max_severity");
            }
        }
        return null;
    }

    private static String fixedFor(JsonNode record, String packageName) {
        for (JsonNode entry : Json.array(record, "affected")) {
            if (packageName != null && packageName.equals(Json.text(entry, "package", "name"))) {
                return fixed(entry);
            }
        }
        return null;
    }

    /** Every "fixed" event of every range, in order: "1.20.10, 1.21.3". */
    private static String fixed(JsonNode affected) {
        List<String> versions = new ArrayList<>();
        for (JsonNode range : Json.array(affected, "ranges")) {
            for (JsonNode event : Json.array(range, "events")) {
                String fixed = Json.text(event, "fixed");
                if (fixed != null && !versions.contains(fixed)) {
                    versions.add(fixed);
                }
            }
        }
        return versions.isEmpty() ? null : String.join(", ", versions);
    }
}

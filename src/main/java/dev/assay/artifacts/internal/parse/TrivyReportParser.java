package dev.assay.artifacts.internal.parse;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * Trivy's JSON report ({@code trivy image --format json}, SchemaVersion 2): vulnerabilities,
 * failed misconfigurations and secrets of every Result. Custom resources (Class {@code custom})
 * are facts, not findings, and are not kept.
 */
public final class TrivyReportParser {

    public ParsedScan parse(JsonNode root) {
        if (!root.isObject() || root.get("Results") != null && !root.get("Results").isArray()) {
            throw new IllegalArgumentException("not a Trivy JSON report: Results must be a list");
        }
        if (Json.at(root, "SchemaVersion") == null) {
            throw new IllegalArgumentException("not a Trivy JSON report: SchemaVersion is missing");
        }
        List<ArtifactRef> named = new ArrayList<>();
        for (String reference : Json.texts(root, "Metadata", "RepoDigests")) {
            ArtifactRef.tryParse(reference).ifPresent(named::add);
        }
        List<ScanItem> items = new ArrayList<>();
        for (JsonNode result : Json.array(root, "Results")) {
            String target = Json.text(result, "Target");
            String type = Json.text(result, "Type");
            for (JsonNode v : Json.array(result, "Vulnerabilities")) {
                String severitySource = Json.text(v, "SeveritySource");
                JsonNode cvss = pickCvss(Json.at(v, "CVSS"), severitySource);
                String path = Json.text(v, "PkgPath");
                items.add(new ScanItem(Json.text(v, "VulnerabilityID"), "vulnerability", Json.text(v, "PkgName"), type,
                        Json.text(v, "PkgIdentifier", "PURL"), Json.text(v, "InstalledVersion"), Json.text(v, "FixedVersion"),
                        Severity.fromText(Json.text(v, "Severity")),
                        cvss == null ? null : Json.number(cvss, "V3Score"), cvss == null ? null : Json.text(cvss, "V3Vector"),
                        Json.text(v, "Title"), path != null ? path : target, false, null));
            }
            for (JsonNode m : Json.array(result, "Misconfigurations")) {
                if (!"FAIL".equalsIgnoreCase(Json.text(m, "Status"))) {
                    continue;
                }
                String id = Json.text(m, "AVDID") != null ? Json.text(m, "AVDID") : Json.text(m, "ID");
                items.add(new ScanItem(id, "misconfiguration", null, type, null, null, null,
                        Severity.fromText(Json.text(m, "Severity")), null, null, Json.text(m, "Title"), target, false, null));
            }
            for (JsonNode s : Json.array(result, "Secrets")) {
                String line = Json.text(s, "StartLine");
                items.add(new ScanItem(Json.text(s, "RuleID"), "secret", null, Json.text(s, "Category"), null, null, null,
                        Severity.fromText(Json.text(s, "Severity")), null, null, Json.text(s, "Title"),
                        line == null ? target : target + ":" + line, false, null));
            }
        }
        return new ParsedScan("trivy", "trivy", Json.text(root, "Trivy", "Version"),
                Json.instant(Json.text(root, "CreatedAt")), named, items);
    }

    /** The CVSS of the source Trivy took the severity from, else NVD's, else the first one given. */
    private static JsonNode pickCvss(JsonNode cvss, String severitySource) {
        if (cvss == null || !cvss.isObject()) {
            return null;
        }
        if (severitySource != null && cvss.get(severitySource) != null && Json.number(cvss.get(severitySource), "V3Score") != null) {
            return cvss.get(severitySource);
        }
        if (cvss.get("nvd") != null && Json.number(cvss.get("nvd"), "V3Score") != null) {
            return cvss.get("nvd");
        }
        for (String name : cvss.propertyNames()) {
            if (Json.number(cvss.get(name), "V3Score") != null) {
                return cvss.get(name);
            }
        }
        return null;
    }
}

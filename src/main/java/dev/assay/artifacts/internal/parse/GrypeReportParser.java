package dev.assay.artifacts.internal.parse;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

/** Grype's JSON output ({@code grype -o json}): one result per match. */
public final class GrypeReportParser {

    public ParsedScan parse(JsonNode root) {
        JsonNode matches = Json.at(root, "matches");
        if (matches == null || !matches.isArray()) {
            throw new IllegalArgumentException("not a Grype JSON report: matches must be a list");
        }
        List<ArtifactRef> named = new ArrayList<>();
        for (String reference : Json.texts(root, "source", "target", "repoDigests")) {
            ArtifactRef.tryParse(reference).ifPresent(named::add);
        }
        List<ScanItem> items = new ArrayList<>();
        for (JsonNode match : matches) {
            JsonNode v = Json.at(match, "vulnerability");
            JsonNode artifact = Json.at(match, "artifact");
            JsonNode cvss = null;
            for (JsonNode candidate : Json.array(v, "cvss")) {
                String version = Json.text(candidate, "version");
                if (version != null && version.startsWith("3") && cvss == null) {
                    cvss = candidate;
                }
            }
            List<JsonNode> locations = Json.array(artifact, "locations");
            items.add(new ScanItem(Json.text(v, "id"), "vulnerability", Json.text(artifact, "name"), Json.text(artifact, "type"),
                    Json.text(artifact, "purl"), Json.text(artifact, "version"), fixedVersion(match, v),
                    Severity.fromText(Json.text(v, "severity")),
                    cvss == null ? null : Json.number(cvss, "metrics", "baseScore"), cvss == null ? null : Json.text(cvss, "vector"),
                    Json.text(v, "description"), locations.isEmpty() ? null : Json.text(locations.get(0), "path"), false, null));
        }
        String name = Json.text(root, "descriptor", "name");
        return new ParsedScan("grype", name == null ? "grype" : name, Json.text(root, "descriptor", "version"),
                Json.instant(Json.text(root, "descriptor", "timestamp")), named, items);
    }

    /** The version Grype suggests for the matched package, else every fix version it lists. */
    private static String fixedVersion(JsonNode match, JsonNode vulnerability) {
        for (JsonNode detail : Json.array(match, "matchDetails")) {
            String suggested = Json.text(detail, "fix", "suggestedVersion");
            if (suggested != null) {
                return suggested;
            }
        }
        List<String> versions = Json.texts(vulnerability, "fix", "versions");
        return versions.isEmpty() ? null : String.join(", ", versions);
    }
}

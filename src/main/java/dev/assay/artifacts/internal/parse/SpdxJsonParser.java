package dev.assay.artifacts.internal.parse;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import tools.jackson.databind.JsonNode;

/**
 * SPDX 2.2 / 2.3 JSON, read with Jackson: packages become components (purl from the PACKAGE-MANAGER
 * external reference, license = concluded, else declared, unless NOASSERTION / NONE).
 */
public final class SpdxJsonParser {

    /** Relationships that say one package needs, links or contains another. */
    private static final Set<String> DEPENDENCY_RELATIONSHIPS = Set.of("DEPENDS_ON", "DEPENDENCY_OF", "DYNAMIC_LINK",
            "STATIC_LINK", "CONTAINS", "CONTAINED_BY", "BUILD_DEPENDENCY_OF", "DEV_DEPENDENCY_OF",
            "OPTIONAL_DEPENDENCY_OF", "PROVIDED_DEPENDENCY_OF", "TEST_DEPENDENCY_OF", "RUNTIME_DEPENDENCY_OF",
            "HAS_PREREQUISITE", "PREREQUISITE_FOR");

    public ParsedSbom parse(JsonNode root) {
        String version = Json.text(root, "spdxVersion");
        if (version == null || !version.startsWith("SPDX-2.")) {
            throw new IllegalArgumentException("not an SPDX 2.x JSON document: spdxVersion is "
                    + (version == null ? "missing" : "'" + version + "'"));
        }
        JsonNode packages = Json.at(root, "packages");
        if (packages != null && !packages.isArray()) {
            throw new IllegalArgumentException("SPDX packages must be a list");
        }
        List<SbomComponentItem> components = new ArrayList<>();
        List<ArtifactRef> named = new ArrayList<>();
        Set<String> packageIds = new HashSet<>();
        for (JsonNode pkg : Json.array(root, "packages")) {
            String id = Json.text(pkg, "SPDXID");
            String name = Json.text(pkg, "name");
            if (name == null) {
                throw new IllegalArgumentException("an SPDX package has no name (SPDXID " + id + ")");
            }
            packageIds.add(id);
            String purl = null;
            for (JsonNode ref : Json.array(pkg, "externalRefs")) {
                if ("purl".equals(Json.text(ref, "referenceType")) && purl == null) {
                    purl = Json.text(ref, "referenceLocator");
                }
            }
            CycloneDxParser.ociPurl(purl).ifPresent(named::add);
            String purpose = Json.text(pkg, "primaryPackagePurpose");
            components.add(new SbomComponentItem(id, name, Json.text(pkg, "versionInfo"), purl,
                    purpose == null ? null : purpose.toLowerCase(Locale.ROOT), license(pkg)));
        }
        int edges = 0;
        for (JsonNode relationship : Json.array(root, "relationships")) {
            String type = Json.text(relationship, "relationshipType");
            if (type != null && DEPENDENCY_RELATIONSHIPS.contains(type)
                    && packageIds.contains(Json.text(relationship, "spdxElementId"))
                    && packageIds.contains(Json.text(relationship, "relatedSpdxElement"))) {
                edges++;
            }
        }
        String tool = null;
        for (String creator : Json.texts(root, "creationInfo", "creators")) {
            if (creator.startsWith("Tool:") && tool == null) {
                tool = creator.substring("Tool:".length()).trim();
            }
        }
        return new ParsedSbom("spdx-json", version.substring("SPDX-".length()), Json.text(root, "documentNamespace"), tool,
                Json.instant(Json.text(root, "creationInfo", "created")), named, components, edges);
    }

    private static List<String> license(JsonNode pkg) {
        for (String field : new String[] {"licenseConcluded", "licenseDeclared"}) {
            String value = Json.text(pkg, field);
            if (value != null && !value.equals("NOASSERTION") && !value.equals("NONE")) {
                return List.of(value);
            }
        }
        return List.of();
    }
}

package dev.assay.artifacts.internal.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;

/**
 * An OCI image manifest or index, or a Docker schema 2 manifest or manifest list, as far as Assay
 * reads them: the config, the layers (with annotations: cosign keeps its signatures there), the
 * listed manifests with their platforms, the subject and the artifact type.
 */
public record OciManifest(String mediaType, String artifactType, Descriptor config, List<Descriptor> layers,
        List<Descriptor> manifests, Descriptor subject, Map<String, String> annotations) {

    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    /** What Assay accepts for a manifest, so the registry does not fall back to an old schema. */
    public static final String ACCEPT = String.join(", ", OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST);
    private static final Set<String> INDEXES = Set.of(OCI_INDEX, DOCKER_LIST);
    private static final Set<String> MANIFESTS = Set.of(OCI_MANIFEST, DOCKER_MANIFEST);

    /** A content descriptor. */
    public record Descriptor(String mediaType, String digest, Long size, String artifactType, Map<String, String> annotations,
            String os, String architecture, String variant) {

        public String annotation(String name) {
            return annotations.get(name);
        }

        /** BuildKit stores provenance and SBOM attestations as an extra index entry of platform unknown/unknown. */
        public boolean isAttestationManifest() {
            return "attestation-manifest".equals(annotations.get("vnd.docker.reference.type"));
        }
    }

    /**
     * @param contentType the Content-Type the registry answered with, used when the document has no mediaType
     * @throws IllegalArgumentException when it is neither a manifest nor an index
     */
    public static OciManifest parse(JsonNode node, String contentType) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("the manifest is not a JSON object");
        }
        if (node.path("schemaVersion").asInt(0) != 2) {
            throw new IllegalArgumentException("only schemaVersion 2 manifests are read (Docker schema 1 is deprecated and unsigned)");
        }
        String mediaType = text(node, "mediaType");
        if (mediaType == null && contentType != null) {
            mediaType = contentType.split(";")[0].trim();
        }
        if (mediaType == null) {
            mediaType = node.has("manifests") ? OCI_INDEX : OCI_MANIFEST;
        }
        if (!INDEXES.contains(mediaType) && !MANIFESTS.contains(mediaType)) {
            throw new IllegalArgumentException("unsupported manifest media type " + mediaType);
        }
        return new OciManifest(mediaType, text(node, "artifactType"), descriptor(node.get("config")), descriptors(node.get("layers")),
                descriptors(node.get("manifests")), descriptor(node.get("subject")), annotations(node.get("annotations")));
    }

    public boolean isIndex() {
        return INDEXES.contains(mediaType);
    }

    private static List<Descriptor> descriptors(JsonNode array) {
        List<Descriptor> list = new ArrayList<>();
        if (array != null && array.isArray()) {
            for (JsonNode item : array) {
                Descriptor d = descriptor(item);
                if (d != null) {
                    list.add(d);
                }
            }
        }
        return list;
    }

    private static Descriptor descriptor(JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        String digest = text(node, "digest");
        if (digest == null) {
            throw new IllegalArgumentException("a descriptor has no digest");
        }
        JsonNode platform = node.get("platform");
        return new Descriptor(text(node, "mediaType"), digest, node.path("size").isNumber() ? node.path("size").asLong() : null,
                text(node, "artifactType"), annotations(node.get("annotations")), platform == null ? null : text(platform, "os"),
                platform == null ? null : text(platform, "architecture"), platform == null ? null : text(platform, "variant"));
    }

    private static Map<String, String> annotations(JsonNode node) {
        Map<String, String> map = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            for (String name : node.propertyNames()) {
                JsonNode value = node.get(name);
                if (value != null && value.isString()) {
                    map.put(name, value.asString());
                }
            }
        }
        return map;
    }

    private static String text(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value != null && value.isString() && !value.asString().isBlank() ? value.asString() : null;
    }
}

package dev.assay.artifacts.internal.parse;

import tools.jackson.databind.JsonNode;

/**
 * The cosign / containers "simple signing" payload: {@code critical.image.docker-manifest-digest} is
 * the digest the signature vouches for; {@code critical.identity.docker-reference} where it was pushed.
 */
public record SimpleSigningPayload(String dockerManifestDigest, String dockerReference, String type) {

    public static SimpleSigningPayload parse(JsonNode node) {
        if (node == null || !node.isObject() || Json.at(node, "critical") == null) {
            throw new IllegalArgumentException("the payload is not a simple-signing document: 'critical' is missing");
        }
        String digest = Json.text(node, "critical", "image", "docker-manifest-digest");
        if (digest == null) {
            throw new IllegalArgumentException("the payload names no critical.image.docker-manifest-digest");
        }
        return new SimpleSigningPayload(digest, Json.text(node, "critical", "identity", "docker-reference"),
                Json.text(node, "critical", "type"));
    }
}

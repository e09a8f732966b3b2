package dev.assay.artifacts.internal.parse;

import java.nio.charset.StandardCharsets;

import tools.jackson.databind.JsonNode;

/**
 * A cosign container-image signature: the simple-signing payload (the exact bytes signed, which is
 * the layer blob of a {@code .sig} manifest) and the annotations cosign writes beside it.
 *
 * @param signatureBase64 {@code dev.cosignproject.cosign/signature}: base64 of the DER signature
 * @param certificatePem  {@code dev.sigstore.cosign/certificate}: present for keyless signatures
 * @param bundleJson      {@code dev.sigstore.cosign/bundle}: the Rekor entry (key-based signatures
 *                        uploaded to Rekor carry their public key in it)
 */
public record CosignSignature(byte[] payload, String signatureBase64, String certificatePem, String chainPem,
        String bundleJson) {

    public static final String SIMPLE_SIGNING_MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
    public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
    public static final String CERTIFICATE_ANNOTATION = "dev.sigstore.cosign/certificate";
    public static final String CHAIN_ANNOTATION = "dev.sigstore.cosign/chain";
    public static final String BUNDLE_ANNOTATION = "dev.sigstore.cosign/bundle";
    /** containers/image stores a cosign signature as this header followed by JSON. */
    public static final String SIGSTORE_JSON_HEADER = "\u0000sigstore-json\n";

    /** Whether a document is a signature in containers/image's "sigstore-json" form. */
    public static boolean looksLikeSigstoreJson(String text) {
        String body = text.startsWith(SIGSTORE_JSON_HEADER) ? text.substring(SIGSTORE_JSON_HEADER.length()) : text;
        return body.stripLeading().startsWith("{") && body.contains(SIMPLE_SIGNING_MEDIA_TYPE) && body.contains("\"payload\"");
    }

    public static String stripHeader(String text) {
        return text.startsWith(SIGSTORE_JSON_HEADER) ? text.substring(SIGSTORE_JSON_HEADER.length()) : text;
    }

    /** From {@code {"mimeType", "payload": base64, "annotations": {...}}} (containers/image's sigstore-json). */
    public static CosignSignature fromSigstoreJson(JsonNode node) {
        String mimeType = Json.text(node, "mimeType");
        if (!SIMPLE_SIGNING_MEDIA_TYPE.equals(mimeType)) {
            throw new IllegalArgumentException("not a cosign signature: mimeType is " + (mimeType == null ? "missing" : "'" + mimeType + "'")
                    + ", expected " + SIMPLE_SIGNING_MEDIA_TYPE);
        }
        JsonNode annotations = Json.at(node, "annotations");
        return new CosignSignature(Base64s.decode(Json.text(node, "payload"), "the signature payload"),
                Json.text(annotations, SIGNATURE_ANNOTATION), Json.text(annotations, CERTIFICATE_ANNOTATION),
                Json.text(annotations, CHAIN_ANNOTATION), Json.text(annotations, BUNDLE_ANNOTATION));
    }

    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }
}

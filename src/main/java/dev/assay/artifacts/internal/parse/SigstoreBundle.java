package dev.assay.artifacts.internal.parse;

import java.util.Base64;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * A Sigstore bundle (v0.1–v0.3, {@code application/vnd.dev.sigstore.bundle…}): either a DSSE envelope
 * or a message signature over a digest, with the verification material: a key hint (key-based
 * signing) or a Fulcio certificate (keyless), and transparency-log entries.
 *
 * @param certificatePem the leaf certificate (PEM), null for key-based bundles
 * @param tlog           the transparency-log entries, as logged
 */
public record SigstoreBundle(String mediaType, DsseEnvelope dsse, MessageSignature messageSignature, String publicKeyHint,
        String certificatePem, int tlogEntries, List<TlogEntry> tlog) {

    /** {@code messageSignature}: the signature over the artifact, whose digest the bundle states. */
    public record MessageSignature(String algorithm, byte[] digest, byte[] signature) {
    }

    public static boolean looksLikeBundle(JsonNode node) {
        String mediaType = Json.text(node, "mediaType");
        return mediaType != null && mediaType.startsWith("application/vnd.dev.sigstore.bundle");
    }

    public static SigstoreBundle parse(JsonNode node) {
        if (!looksLikeBundle(node)) {
            throw new IllegalArgumentException("not a Sigstore bundle: mediaType must be application/vnd.dev.sigstore.bundle…");
        }
        JsonNode material = Json.at(node, "verificationMaterial");
        if (material == null) {
            throw new IllegalArgumentException("the Sigstore bundle has no verificationMaterial");
        }
        DsseEnvelope dsse = Json.at(node, "dsseEnvelope") == null ? null : DsseEnvelope.parse(Json.at(node, "dsseEnvelope"));
        MessageSignature message = null;
        JsonNode ms = Json.at(node, "messageSignature");
        if (ms != null) {
            message = new MessageSignature(Json.text(ms, "messageDigest", "algorithm"),
                    Base64s.decode(Json.text(ms, "messageDigest", "digest"), "messageSignature.messageDigest.digest"),
                    Base64s.decode(Json.text(ms, "signature"), "messageSignature.signature"));
        }
        if (dsse == null && message == null) {
            throw new IllegalArgumentException("the Sigstore bundle has neither a dsseEnvelope nor a messageSignature");
        }
        String certificate = null;
        String raw = Json.text(material, "certificate", "rawBytes");
        if (raw == null) {
            List<JsonNode> chain = Json.array(material, "x509CertificateChain", "certificates");
            raw = chain.isEmpty() ? null : Json.text(chain.get(0), "rawBytes");
        }
        if (raw != null) {
            certificate = "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(Base64s.decode(raw, "the bundle certificate"))
                    + "\n-----END CERTIFICATE-----\n";
        }
        return new SigstoreBundle(Json.text(node, "mediaType"), dsse, message, Json.text(material, "publicKey", "hint"),
                certificate, Json.array(material, "tlogEntries").size(), tlog(material));
    }

    private static List<TlogEntry> tlog(JsonNode material) {
        java.util.List<TlogEntry> entries = new java.util.ArrayList<>();
        List<JsonNode> logged = Json.array(material, "tlogEntries");
        for (int i = 0; i < logged.size(); i++) {
            try {
                entries.add(TlogEntry.fromBundle(logged.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the Sigstore bundle's tlogEntries[" + i + "] is malformed: " + e.getMessage());
            }
        }
        return List.copyOf(entries);
    }
}

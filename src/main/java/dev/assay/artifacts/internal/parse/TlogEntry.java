package dev.assay.artifacts.internal.parse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * One transparency-log (Rekor) entry as a Sigstore bundle carries it
 * ({@code verificationMaterial.tlogEntries[]}), or as cosign's legacy {@code dev.sigstore.cosign/bundle}
 * annotation carries it (SET and payload only).
 *
 * @param logId             the log's id: SHA-256 of its public key (DER SubjectPublicKeyInfo)
 * @param integratedTime    seconds since the epoch, as the log states it; 0 when the entry has none (Rekor v2)
 * @param signedEntryTimestamp the inclusion promise (SET), null when absent
 * @param inclusionProof    null when absent
 * @param canonicalizedBody the entry body exactly as logged
 */
public record TlogEntry(long logIndex, byte[] logId, String kind, String version, long integratedTime,
        byte[] signedEntryTimestamp, InclusionProof inclusionProof, byte[] canonicalizedBody) {

    /** An RFC 6962 audit path and the signed checkpoint (a signed note) whose root it leads to. */
    public record InclusionProof(long logIndex, byte[] rootHash, long treeSize, List<byte[]> hashes, String checkpoint) {
    }

    static TlogEntry fromBundle(JsonNode entry) {
        JsonNode proof = Json.at(entry, "inclusionProof");
        InclusionProof inclusion = null;
        if (proof != null) {
            List<byte[]> hashes = new ArrayList<>();
            for (String hash : Json.texts(proof, "hashes")) {
                hashes.add(Base64s.decode(hash, "inclusionProof.hashes"));
            }
            inclusion = new InclusionProof(number(proof, "logIndex"), Base64s.decode(Json.text(proof, "rootHash"),
                    "inclusionProof.rootHash"), number(proof, "treeSize"), List.copyOf(hashes), Json.text(proof, "checkpoint", "envelope"));
        }
        String set = Json.text(entry, "inclusionPromise", "signedEntryTimestamp");
        return new TlogEntry(number(entry, "logIndex"), Base64s.decode(Json.text(entry, "logId", "keyId"), "tlog logId.keyId"),
                Json.text(entry, "kindVersion", "kind"), Json.text(entry, "kindVersion", "version"), number(entry, "integratedTime"),
                set == null ? null : Base64s.decode(set, "inclusionPromise.signedEntryTimestamp"), inclusion,
                Base64s.decode(Json.text(entry, "canonicalizedBody"), "tlog canonicalizedBody"));
    }

    /**
     * From cosign's {@code dev.sigstore.cosign/bundle} annotation:
     * {@code {SignedEntryTimestamp, Payload{body, integratedTime, logIndex, logID (hex)}}}.
     */
    public static TlogEntry fromCosignBundle(JsonNode bundle) {
        JsonNode payload = Json.at(bundle, "Payload");
        if (payload == null) {
            throw new IllegalArgumentException("the cosign bundle annotation has no Payload");
        }
        String logId = Json.text(payload, "logID");
        if (logId == null) {
            throw new IllegalArgumentException("the cosign bundle annotation has no Payload.logID");
        }
        byte[] body = Base64s.decode(Json.text(payload, "body"), "the cosign bundle Payload.body");
        String kind = null;
        String version = null;
        String bodyText = new String(body, StandardCharsets.UTF_8);
        int k = bodyText.indexOf("\"kind\":\"");
        if (k >= 0) {
            kind = bodyText.substring(k + 8, bodyText.indexOf('"', k + 8));
        }
        int v = bodyText.indexOf("\"apiVersion\":\"");
        if (v >= 0) {
            version = bodyText.substring(v + 14, bodyText.indexOf('"', v + 14));
        }
        return new TlogEntry(number(payload, "logIndex"), HexFormat.of().parseHex(logId), kind, version,
                number(payload, "integratedTime"), Base64s.decode(Json.text(bundle, "SignedEntryTimestamp"),
                        "the cosign bundle SignedEntryTimestamp"), null, body);
    }

    private static long number(JsonNode node, String field) {
        String text = Json.text(node, field);
        if (text == null) {
            return 0;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("tlog entry " + field + " is not a number: " + text);
        }
    }
}

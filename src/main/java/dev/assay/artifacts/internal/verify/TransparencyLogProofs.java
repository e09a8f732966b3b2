package dev.assay.artifacts.internal.verify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import dev.assay.artifacts.internal.parse.TlogEntry;

/**
 * The checks of a Rekor entry that need only the log's public key: the signed entry timestamp, the
 * RFC 6962 / RFC 9162 Merkle inclusion proof and the checkpoint (a signed note) it leads to.
 */
final class TransparencyLogProofs {

    private TransparencyLogProofs() {
    }

    /**
     * The SET is the log's signature over the canonical JSON of
     * {@code {"body","integratedTime","logID","logIndex"}} (keys sorted, no spaces, the body in base64,
     * the log id in hex).
     */
    static boolean signedEntryTimestampVerifies(TlogEntry entry, PublicKey logKey) {
        String canonical = "{\"body\":\"" + Base64.getEncoder().encodeToString(entry.canonicalizedBody()) + "\",\"integratedTime\":"
                + entry.integratedTime() + ",\"logID\":\"" + HexFormat.of().formatHex(entry.logId()) + "\",\"logIndex\":"
                + entry.logIndex() + "}";
        return SignatureSchemes.verify(logKey, canonical.getBytes(StandardCharsets.UTF_8), entry.signedEntryTimestamp());
    }

    /** RFC 9162 §2.1.3.2: the audit path from the leaf SHA-256(0x00 || body) must lead to the root hash. */
    static boolean inclusionProofVerifies(byte[] body, TlogEntry.InclusionProof proof) {
        if (proof.logIndex() < 0 || proof.treeSize() <= proof.logIndex()) {
            return false;
        }
        long fn = proof.logIndex();
        long sn = proof.treeSize() - 1;
        byte[] r = hash(new byte[] {0}, body);
        for (byte[] p : proof.hashes()) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = hash(new byte[] {1}, p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                r = hash(new byte[] {1}, r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && Arrays.equals(r, proof.rootHash());
    }

    /**
     * A checkpoint is a signed note: {@code origin\nsize\nbase64(root)\n[extensions]\n\n— name base64(keyhint[4] || signature)\n}.
     * Returns null when its signature verifies with the log key and it states the proof's tree size
     * and root hash, else why not.
     */
    static String checkpointProblem(TlogEntry.InclusionProof proof, PublicKey logKey, byte[] logId) {
        String note = proof.checkpoint();
        if (note == null) {
            return "the inclusion proof has no checkpoint";
        }
        int split = note.indexOf("\n\n");
        if (split < 0) {
            return "the checkpoint is not a signed note";
        }
        byte[] signed = note.substring(0, split + 1).getBytes(StandardCharsets.UTF_8);
        List<String> body = List.of(note.substring(0, split).split("\n"));
        if (body.size() < 3) {
            return "the checkpoint does not state origin, tree size and root hash";
        }
        if (!body.get(1).equals(String.valueOf(proof.treeSize()))
                || !Arrays.equals(decode(body.get(2)), proof.rootHash())) {
            return "the checkpoint states tree size " + body.get(1) + " and another root hash than the inclusion proof";
        }
        boolean anyForLog = false;
        for (String line : note.substring(split + 2).split("\n")) {
            if (!line.startsWith("\u2014 ")) {
                continue;
            }
            String[] parts = line.split(" ");
            byte[] value = decode(parts[parts.length - 1]);
            if (value == null || value.length < 5 || !Arrays.equals(Arrays.copyOf(value, 4), Arrays.copyOf(logId, 4))) {
                continue;
            }
            anyForLog = true;
            if (SignatureSchemes.verify(logKey, signed, Arrays.copyOfRange(value, 4, value.length))) {
                return null;
            }
        }
        return anyForLog ? "the checkpoint signature does not verify with the log's key"
                : "the checkpoint carries no signature by the log's key";
    }

    static byte[] sha256(byte[] data) {
        return hash(data);
    }

    private static byte[] decode(String text) {
        try {
            return Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] hash(byte[]... parts) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                sha256.update(part);
            }
            return sha256.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

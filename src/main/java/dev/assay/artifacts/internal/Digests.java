package dev.assay.artifacts.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

public final class Digests {

    private Digests() {
    }

    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The OCI digest of content: {@code sha256:<hex>}. */
    public static String ociDigest(byte[] bytes) {
        return "sha256:" + sha256Hex(bytes);
    }
}

package dev.assay.artifacts.internal.verify;

/**
 * What Assay concluded about a signature, and why.
 *
 * @param status one of the constants below, stored and shown beside the reason
 * @param key    the trusted key that verified it; null unless verified with a key (keyless signatures
 *               are verified through their certificate and expected identity)
 */
public record Verification(boolean verified, String status, String reason, TrustedKey key) {

    public static final String VERIFIED = "verified";
    public static final String DIGEST_MISMATCH = "digest-mismatch";
    public static final String UNKNOWN_KEY = "unknown-key";
    public static final String BAD_SIGNATURE = "bad-signature";
    public static final String MALFORMED = "malformed";
    public static final String NO_TRUSTED_KEY = "no-trusted-key";
    public static final String KEYLESS_NOT_SUPPORTED = "keyless-not-verified";
    public static final String UNSIGNED = "unsigned";
    public static final String UNTRUSTED_IDENTITY = "untrusted-identity";
    public static final String CERTIFICATE_CHAIN_INVALID = "certificate-chain-invalid";
    public static final String CERTIFICATE_EXPIRED = "certificate-expired";
    public static final String TLOG_ENTRY_INVALID = "tlog-entry-invalid";

    public static Verification verified(TrustedKey key, String detail) {
        return new Verification(true, VERIFIED, "verified with trusted key " + key.name() + " (" + key.scope() + ", "
                + PublicKeys.describe(key.key()) + ", sha256 " + key.fingerprint().substring(0, 16) + "…)"
                + (detail == null ? "" : "; " + detail), key);
    }

    public static Verification failed(String status, String reason) {
        return new Verification(false, status, reason, null);
    }
}

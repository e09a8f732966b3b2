package dev.assay.artifacts.internal.verify;

import java.security.PublicKey;

/**
 * A public key trusted to sign artifacts.
 *
 * @param name  what the person configuring it called it, or its file path
 * @param scope where the trust comes from: {@code organisation}, {@code team:<name>},
 *              {@code service:<name>} or {@code source:<id>}
 */
public record TrustedKey(String name, String scope, PublicKey key, String fingerprint) {

    public static TrustedKey of(String name, String scope, PublicKey key) {
        return new TrustedKey(name, scope, key, PublicKeys.fingerprint(key));
    }

    /** Whether a key id or hint written by a signing tool names this key. */
    public boolean matchesHint(String hint) {
        if (hint == null || hint.isBlank()) {
            return false;
        }
        return hint.equalsIgnoreCase(fingerprint) || hint.equals(PublicKeys.sshFingerprint(key))
                || hint.equalsIgnoreCase("sha256:" + fingerprint)
                || hint.equals(java.util.Base64.getEncoder().encodeToString(PublicKeys.sha256(key.getEncoded())));
    }

    /**
     * Whether a hint is the SHA-256 of a public key's SubjectPublicKeyInfo in a form Sigstore tools
     * write (npm's {@code SHA256:<base64>}, the bundle's base64 hint), so that a hint matching no
     * trusted key identifies an untrusted key. A bare 64-hex key id is not taken as one: in-toto
     * computes its key ids over its own JSON key format, which a PEM key alone cannot reproduce.
     */
    public static boolean isKeyHash(String hint) {
        return hint != null && (hint.matches("SHA256:[A-Za-z0-9+/]{43}") || hint.matches("[A-Za-z0-9+/]{43}="));
    }
}

package dev.assay.artifacts.internal.verify;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

import dev.assay.artifacts.internal.parse.Base64s;
import dev.assay.artifacts.internal.parse.CosignSignature;
import dev.assay.artifacts.internal.parse.DsseEnvelope;
import dev.assay.artifacts.internal.parse.SigstoreBundle;
import dev.assay.artifacts.internal.parse.SimpleSigningPayload;
import tools.jackson.databind.JsonNode;

/**
 * Assay's own verification of signatures over artifacts (DESIGN §5: signed coverage counts only
 * signatures that verify against a key trusted for the artifact's service, team or organisation).
 * <p>
 * Key-based signatures are verified completely: the signature over the exact signed bytes with the
 * JDK's providers, then that the signed payload names this artifact's digest. Keyless (Fulcio
 * certificate) signatures are verified offline by {@link KeylessVerifier} against the configured
 * Sigstore trusted root and the identities expected for the artifact; without a trusted root they are
 * recorded as present but not verified, saying so, rather than trusting the certificate's claims.
 * <p>
 * Without a key hint, a signature that no trusted key verifies cannot tell "altered" from "signed by
 * a stranger" (ECDSA gives no way to know); the reason says both. Where the signature names its key
 * (the Rekor entry of a cosign bundle, a Sigstore key id) an untrusted key is reported as unknown.
 */
public final class SignatureVerifier {

    private final Function<String, JsonNode> json;
    private final KeylessVerifier keyless;

    /** A verifier without a Sigstore trusted root: keyless signatures stay "present, not verified". */
    public SignatureVerifier(Function<String, JsonNode> json) {
        this(json, KeylessVerifier.withoutRoot(json));
    }

    /** @param json the untrusted-JSON parser (limits on depth and size) for payloads inside signatures */
    public SignatureVerifier(Function<String, JsonNode> json, KeylessVerifier keyless) {
        this.json = json;
        this.keyless = keyless;
    }

    public Verification verifyCosign(String artifactDigest, CosignSignature signature, List<TrustedKey> keys) {
        return verifyCosign(artifactDigest, signature, keys, List.of());
    }

    public Verification verifyCosign(String artifactDigest, CosignSignature signature, List<TrustedKey> keys,
            List<ExpectedIdentity> identities) {
        return verifyCosign(artifactDigest, signature, keys, rekorKeyFingerprint(signature.bundleJson()), identities);
    }

    /**
     * @param signingKey the fingerprint of the key that made the signature when something names it
     *                   (the Rekor entry of a cosign bundle), else null
     */
    public Verification verifyCosign(String artifactDigest, CosignSignature signature, List<TrustedKey> keys, String signingKey,
            List<ExpectedIdentity> identities) {
        if (signature.signatureBase64() == null || signature.signatureBase64().isBlank()) {
            return Verification.failed(Verification.MALFORMED, "the signature annotation "
                    + CosignSignature.SIGNATURE_ANNOTATION + " is missing or empty");
        }
        byte[] sig;
        SimpleSigningPayload payload;
        try {
            sig = Base64s.decode(signature.signatureBase64(), "the signature");
            payload = SimpleSigningPayload.parse(json.apply(new String(signature.payload(), StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
            return Verification.failed(Verification.MALFORMED, "malformed signature or payload: " + e.getMessage());
        }
        if (signature.certificatePem() != null && !signature.certificatePem().isBlank()) {
            if (!payload.dockerManifestDigest().equals(artifactDigest)) {
                return digestMismatch(payload.dockerManifestDigest(), artifactDigest, null);
            }
            return keyless.verifyCosign(signature.payload(), sig, signature.certificatePem(), signature.bundleJson(), identities);
        }
        if (keys.isEmpty()) {
            return noTrustedKey();
        }
        for (TrustedKey key : hintedFirst(keys, signingKey)) {
            if (SignatureSchemes.verify(key.key(), signature.payload(), sig)) {
                if (!payload.dockerManifestDigest().equals(artifactDigest)) {
                    return digestMismatch(payload.dockerManifestDigest(), artifactDigest, key);
                }
                return Verification.verified(key, null);
            }
        }
        return notVerified(keys, signingKey, "its Rekor entry");
    }

    /** A DSSE envelope: each signature over PAE(payloadType, payload); one verifying with a trusted key suffices. */
    public Verification verifyDsse(DsseEnvelope envelope, List<TrustedKey> keys, String bundleHint) {
        if (envelope.signatures().isEmpty()) {
            return Verification.failed(Verification.UNSIGNED, "the DSSE envelope carries no signature");
        }
        if (keys.isEmpty()) {
            return noTrustedKey();
        }
        byte[] pae = envelope.preAuthenticationEncoding();
        String hint = bundleHint;
        for (DsseEnvelope.Signature signature : envelope.signatures()) {
            String keyid = signature.keyid() != null && !signature.keyid().isBlank() ? signature.keyid() : bundleHint;
            hint = hint != null ? hint : keyid;
            for (TrustedKey key : hintedFirst(keys, keyid)) {
                if (SignatureSchemes.verify(key.key(), pae, signature.sig())) {
                    return Verification.verified(key, "DSSE signature over " + envelope.payloadType());
                }
            }
        }
        return notVerified(keys, sigstoreHint(hint), "its key id");
    }

    public Verification verifyBundle(String artifactDigest, SigstoreBundle bundle, List<TrustedKey> keys) {
        return verifyBundle(artifactDigest, bundle, keys, List.of());
    }

    /**
     * A Sigstore bundle: keyless ones verified through their certificate and the expected identities,
     * key-based ones like the envelope or digest they carry.
     */
    public Verification verifyBundle(String artifactDigest, SigstoreBundle bundle, List<TrustedKey> keys,
            List<ExpectedIdentity> identities) {
        if (bundle.certificatePem() != null) {
            if (bundle.messageSignature() != null && !digestOf(bundle.messageSignature()).equals(artifactDigest)) {
                return digestMismatch(digestOf(bundle.messageSignature()), artifactDigest, null);
            }
            return keyless.verifyBundle(artifactDigest, bundle, identities);
        }
        Verification byKey = bundle.dsse() != null ? verifyDsse(bundle.dsse(), keys, bundle.publicKeyHint())
                : verifyMessage(artifactDigest, bundle, keys);
        if (byKey.verified()) {
            Verification log = keyless.keyBasedLogProblem(bundle, byKey.key().key());
            if (log != null) {
                return log;
            }
        }
        return byKey;
    }

    private Verification verifyMessage(String artifactDigest, SigstoreBundle bundle, List<TrustedKey> keys) {
        SigstoreBundle.MessageSignature message = bundle.messageSignature();
        if (!"SHA2_256".equals(message.algorithm())) {
            return Verification.failed(Verification.MALFORMED, "message digest algorithm " + message.algorithm()
                    + " is not supported (SHA2_256 is)");
        }
        if (keys.isEmpty()) {
            return noTrustedKey();
        }
        for (TrustedKey key : hintedFirst(keys, bundle.publicKeyHint())) {
            if (SignatureSchemes.verifyPrehashed(key.key(), message.digest(), message.signature())) {
                if (!digestOf(message).equals(artifactDigest)) {
                    return digestMismatch(digestOf(message), artifactDigest, key);
                }
                return Verification.verified(key, "Sigstore message signature");
            }
        }
        return notVerified(keys, sigstoreHint(bundle.publicKeyHint()), "its public key hint");
    }

    private Verification notVerified(List<TrustedKey> keys, String identifiedKey, String how) {
        if (identifiedKey != null && keys.stream().noneMatch(k -> k.matchesHint(identifiedKey))) {
            return Verification.failed(Verification.UNKNOWN_KEY, "unknown key: signed with key " + identifiedKey
                    + " (named by " + how + "), which is not trusted for this artifact (" + keys.size() + " trusted key"
                    + (keys.size() == 1 ? "" : "s") + ")");
        }
        if (identifiedKey != null) {
            return Verification.failed(Verification.BAD_SIGNATURE, "bad signature: it does not verify with the trusted key"
                    + " that made it, so the signed payload or the signature was altered");
        }
        return Verification.failed(Verification.BAD_SIGNATURE, "bad signature: no trusted key verifies it ("
                + keys.size() + " tried); the payload was altered after signing, or it was made with a key that is not trusted");
    }

    private static Verification digestMismatch(String claimed, String actual, TrustedKey key) {
        return Verification.failed(Verification.DIGEST_MISMATCH, "digest mismatch: the signed payload vouches for " + claimed
                + ", not for this artifact " + actual + (key == null ? "" : " (the signature itself is valid, key " + key.name()
                        + ")"));
    }

    private static Verification noTrustedKey() {
        return Verification.failed(Verification.NO_TRUSTED_KEY, "no trusted key is configured for this artifact's"
                + " services, their teams or the organisation, so nothing can verify it");
    }

    private static List<TrustedKey> hintedFirst(List<TrustedKey> keys, String hint) {
        List<TrustedKey> ordered = new ArrayList<>();
        keys.stream().filter(k -> k.matchesHint(hint)).forEach(ordered::add);
        keys.stream().filter(k -> !k.matchesHint(hint)).forEach(ordered::add);
        return ordered;
    }

    private static String sigstoreHint(String hint) {
        return TrustedKey.isKeyHash(hint) ? hint : null;
    }

    private static String digestOf(SigstoreBundle.MessageSignature message) {
        return "sha256:" + HexFormat.of().formatHex(message.digest());
    }

    /**
     * The fingerprint of the public key in a cosign bundle's Rekor entry (hashedrekord
     * spec.signature.publicKey.content: base64 of a PEM key), or null when there is none or it is a
     * certificate.
     */
    public String rekorKeyFingerprint(String bundleJson) {
        if (bundleJson == null || bundleJson.isBlank()) {
            return null;
        }
        try {
            JsonNode bundle = json.apply(bundleJson);
            JsonNode body = json.apply(new String(Base64s.decode(bundle.path("Payload").path("body").asString(), "body"),
                    StandardCharsets.UTF_8));
            String content = body.path("spec").path("signature").path("publicKey").path("content").asString();
            String pem = new String(Base64.getDecoder().decode(content), StandardCharsets.US_ASCII);
            if (!pem.contains("BEGIN PUBLIC KEY")) {
                return null;
            }
            PublicKey key = PublicKeys.parsePem(pem);
            return PublicKeys.fingerprint(key);
        } catch (RuntimeException e) {
            return null;
        }
    }
}

package dev.assay.artifacts.internal.verify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import dev.assay.artifacts.internal.parse.Base64s;
import dev.assay.artifacts.internal.parse.DsseEnvelope;
import dev.assay.artifacts.internal.parse.InTotoStatement;
import dev.assay.artifacts.internal.parse.SigstoreBundle;
import dev.assay.artifacts.internal.parse.SigstoreTrustedRoot;
import dev.assay.artifacts.internal.parse.TlogEntry;
import tools.jackson.databind.JsonNode;

/**
 * Offline verification of keyless (Fulcio certificate) signatures against a Sigstore trusted root,
 * with the JDK's own X.509 and signature providers. A signature verifies only when all of these hold,
 * checked in this order (the first that fails is the reason):
 * <ol>
 * <li>a transparency-log entry gives the signing time (Rekor's integrated time, which its signed entry
 * timestamp vouches for: without one the time would need a timestamp authority, which is not checked);</li>
 * <li>the leaf certificate was valid at that time and chains (PKIX) to a certificate authority of the
 * trusted root that was trusted at that time;</li>
 * <li>the certificate's identity (SAN URI or e-mail and Fulcio's OIDC issuer extension) is one expected
 * for the artifact;</li>
 * <li>the signature verifies with the certificate's key (over the artifact digest, the DSSE
 * pre-authentication encoding, or the cosign payload), and what it signs names the artifact;</li>
 * <li>the entry was logged by a log of the trusted root (valid at that time), its signed entry
 * timestamp verifies, its inclusion proof (when present) leads to a checkpoint the log signed, and the logged
 * body is this very signature, certificate and digest.</li>
 * </ol>
 * The time is only ever the integrated time the log vouches for: the result never depends on today.
 */
public final class KeylessVerifier {

    private final SigstoreTrustedRoot root;
    private final String rootProblem;
    private final Function<String, JsonNode> json;

    /**
     * @param root        the trusted root, or null when none is usable
     * @param rootProblem why there is none (shown in the reason of every keyless signature); null with a root
     */
    public KeylessVerifier(SigstoreTrustedRoot root, String rootProblem, Function<String, JsonNode> json) {
        this.root = root;
        this.rootProblem = rootProblem;
        this.json = json;
    }

    public static KeylessVerifier withoutRoot(Function<String, JsonNode> json) {
        return new KeylessVerifier(null, "no Sigstore trusted root configured (assay.artifacts.sigstore.trusted-root)", json);
    }

    /** The content a certificate's key signed, and what the log entry must say about it. */
    private interface Signed {

        /** null when the signature verifies with the signer's key, else the reason. */
        String signatureProblem(Signer signer);

        /** null when the logged body describes this signature, else what differs. */
        String bodyProblem(JsonNode body, Signer signer);

        String what();
    }

    /** Who signed: a Fulcio certificate (keyless), or a public key (key-based bundles), as the log records it. */
    private record Signer(X509Certificate certificate, PublicKey key) {

        /** Whether the base64 of a PEM certificate or public key in a logged body is this signer. */
        boolean isLogged(String base64Pem) {
            if (base64Pem == null) {
                return false;
            }
            try {
                String pem = new String(Base64.getDecoder().decode(base64Pem), StandardCharsets.US_ASCII);
                return certificate != null ? Arrays.equals(CertificateIdentity.parse(pem).getEncoded(), certificate.getEncoded())
                        : Arrays.equals(PublicKeys.parsePem(pem).getEncoded(), key.getEncoded());
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                return false;
            }
        }
    }

    /**
     * The Rekor entry of a key-based bundle whose signature a trusted key verified: null when there is
     * no trusted root or no entry (the key decides alone), or when the entry checks like a keyless one's
     * (known log, SET, inclusion proof and checkpoint, the logged body naming this key and signature);
     * else why not.
     */
    public Verification keyBasedLogProblem(SigstoreBundle bundle, PublicKey key) {
        if (root == null || bundle.tlog().isEmpty()) {
            return null;
        }
        TlogEntry entry = bundle.tlog().get(0);
        Signed signed = bundle.messageSignature() != null ? new MessageSigned(bundle.messageSignature()) : new DsseSigned(bundle.dsse());
        if (entry.signedEntryTimestamp() == null && entry.inclusionProof() == null) {
            return Verification.failed(Verification.TLOG_ENTRY_INVALID, "transparency-log entry invalid: it has neither a signed"
                    + " entry timestamp nor an inclusion proof");
        }
        String problem = tlogProblem(entry, entry.integratedTime() > 0 ? Instant.ofEpochSecond(entry.integratedTime()) : null, signed,
                new Signer(null, key));
        return problem == null ? null : Verification.failed(Verification.TLOG_ENTRY_INVALID, "transparency-log entry invalid: " + problem);
    }

    /** A Sigstore bundle with a certificate; the caller has checked a message digest against the artifact. */
    public Verification verifyBundle(String artifactDigest, SigstoreBundle bundle, List<ExpectedIdentity> identities) {
        Signed signed;
        if (bundle.messageSignature() != null) {
            signed = new MessageSigned(bundle.messageSignature());
        } else {
            String subjectProblem = subjectProblem(bundle.dsse(), artifactDigest);
            if (subjectProblem != null) {
                return Verification.failed(Verification.DIGEST_MISMATCH, subjectProblem);
            }
            signed = new DsseSigned(bundle.dsse());
        }
        return verify(bundle.certificatePem(), bundle.tlog(), signed, identities);
    }

    /** A cosign keyless signature (annotations); the caller has checked the payload's digest against the artifact. */
    public Verification verifyCosign(byte[] payload, byte[] signature, String certificatePem, String bundleJson,
            List<ExpectedIdentity> identities) {
        List<TlogEntry> entries = new ArrayList<>();
        if (root != null && bundleJson != null && !bundleJson.isBlank()) {
            try {
                entries.add(TlogEntry.fromCosignBundle(json.apply(bundleJson)));
            } catch (RuntimeException e) {
                return Verification.failed(Verification.TLOG_ENTRY_INVALID, "transparency-log entry invalid: the cosign bundle"
                        + " annotation cannot be read (" + e.getMessage() + ")");
            }
        }
        return verify(certificatePem, entries, new PayloadSigned(payload, signature), identities);
    }

    private Verification verify(String certificatePem, List<TlogEntry> entries, Signed signed, List<ExpectedIdentity> identities) {
        if (root == null) {
            return Verification.failed(Verification.KEYLESS_NOT_SUPPORTED, "present, not verified: " + rootProblem
                    + "; the certificate claims " + CertificateIdentity.describe(certificatePem));
        }
        X509Certificate leaf;
        try {
            leaf = CertificateIdentity.parse(certificatePem);
        } catch (IllegalArgumentException e) {
            return Verification.failed(Verification.MALFORMED, "malformed signature: " + e.getMessage());
        }
        if (entries.isEmpty()) {
            return Verification.failed(Verification.TLOG_ENTRY_INVALID, "transparency-log entry missing: without a Rekor entry"
                    + " the signing time, and so the short-lived certificate, cannot be checked");
        }
        TlogEntry entry = entries.get(0);
        if (entry.signedEntryTimestamp() == null || entry.integratedTime() <= 0) {
            return Verification.failed(Verification.KEYLESS_NOT_SUPPORTED, "present, not verified: the " + entry.kind() + " "
                    + entry.version() + " entry has no signed entry timestamp (SET) vouching for an integrated time (a Rekor v2"
                    + " log, where a timestamp authority gives the time); RFC 3161 timestamps and Rekor v2 entries are not"
                    + " verified by this version");
        }
        Instant time = Instant.ofEpochSecond(entry.integratedTime());
        if (time.isBefore(leaf.getNotBefore().toInstant()) || time.isAfter(leaf.getNotAfter().toInstant())) {
            return Verification.failed(Verification.CERTIFICATE_EXPIRED, "certificate expired: it was valid from "
                    + leaf.getNotBefore().toInstant() + " to " + leaf.getNotAfter().toInstant() + ", but the log integrated the"
                    + " signature at " + time);
        }
        String chainProblem = chainProblem(leaf, time);
        if (chainProblem != null) {
            return Verification.failed(Verification.CERTIFICATE_CHAIN_INVALID, "certificate chain invalid: " + chainProblem);
        }
        CertificateIdentity.Claim claim = CertificateIdentity.claim(leaf);
        String identity = CertificateIdentity.describe(certificatePem);
        ExpectedIdentity expected = identities.stream().filter(i -> i.matches(claim)).findFirst().orElse(null);
        if (expected == null) {
            return Verification.failed(Verification.UNTRUSTED_IDENTITY, "untrusted identity: the certificate names " + identity
                    + (identities.isEmpty() ? ", and no Sigstore identity is expected for this artifact's services, their teams"
                            + " or the organisation" : ", which matches none of the " + identities.size() + " expected identit"
                                    + (identities.size() == 1 ? "y" : "ies")));
        }
        Signer signer = new Signer(leaf, leaf.getPublicKey());
        String signatureProblem = signed.signatureProblem(signer);
        if (signatureProblem != null) {
            return Verification.failed(Verification.BAD_SIGNATURE, "bad signature: " + signatureProblem);
        }
        String tlogProblem = tlogProblem(entry, time, signed, signer);
        if (tlogProblem != null) {
            return Verification.failed(Verification.TLOG_ENTRY_INVALID, "transparency-log entry invalid: " + tlogProblem);
        }
        return new Verification(true, Verification.VERIFIED, "verified keyless " + signed.what() + " by " + identity
                + ", an identity expected for " + expected.scope() + "; certificate chains to the trusted root, logged in "
                + logOf(entry).baseUrl() + " at " + time + " (log index " + entry.logIndex() + ")", null);
    }

    private String chainProblem(X509Certificate leaf, Instant time) {
        List<String> outside = new ArrayList<>();
        for (SigstoreTrustedRoot.CertificateAuthority ca : root.certificateAuthorities()) {
            if (!chainsTo(leaf, ca, time)) {
                continue;
            }
            if (ca.validFor().contains(time)) {
                return null;
            }
            outside.add(ca.subject() + " (trusted " + ca.validFor() + ")");
        }
        if (!outside.isEmpty()) {
            return "the certificate was issued at " + time + " by " + String.join(", ", outside)
                    + ", outside the time the trusted root trusts that authority";
        }
        return "the certificate (issuer " + leaf.getIssuerX500Principal().getName() + ") does not chain to any of the "
                + root.certificateAuthorities().size() + " certificate authorities of the trusted root at " + time;
    }

    private static boolean chainsTo(X509Certificate leaf, SigstoreTrustedRoot.CertificateAuthority ca, Instant time) {
        List<X509Certificate> chain = ca.chain();
        List<X509Certificate> path = new ArrayList<>();
        path.add(leaf);
        path.addAll(chain.subList(0, chain.size() - 1));
        try {
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(chain.get(chain.size() - 1), null)));
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(time));
            CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
            return true;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private SigstoreTrustedRoot.TransparencyLog logOf(TlogEntry entry) {
        return root.tlogs().stream().filter(l -> l.hasId(entry.logId())).findFirst().orElse(null);
    }

    /** @param time the integrated time the log must have been trusted at; null when the entry states none */
    private String tlogProblem(TlogEntry entry, Instant time, Signed signed, Signer signer) {
        SigstoreTrustedRoot.TransparencyLog log = logOf(entry);
        if (log == null) {
            return "logged by an unknown log (log id " + HexFormat.of().formatHex(entry.logId()) + " is not in the trusted root)";
        }
        if (time != null && !log.validFor().contains(time)) {
            return "the log " + log.baseUrl() + " is trusted " + log.validFor() + ", not at the integrated time " + time;
        }
        if (entry.signedEntryTimestamp() != null && !TransparencyLogProofs.signedEntryTimestampVerifies(entry, log.key())) {
            return "the signed entry timestamp (SET) does not verify with the key of " + log.baseUrl();
        }
        TlogEntry.InclusionProof proof = entry.inclusionProof();
        if (proof != null) {
            if (!TransparencyLogProofs.inclusionProofVerifies(entry.canonicalizedBody(), proof)) {
                return "the inclusion proof (log index " + proof.logIndex() + ", tree size " + proof.treeSize()
                        + ") does not lead to its root hash";
            }
            String checkpoint = TransparencyLogProofs.checkpointProblem(proof, log.key(), entry.logId());
            if (checkpoint != null) {
                return checkpoint;
            }
        }
        JsonNode body;
        try {
            body = json.apply(new String(entry.canonicalizedBody(), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return "the logged body is not JSON";
        }
        String bodyProblem = signed.bodyProblem(body, signer);
        return bodyProblem == null ? null : "the logged " + entry.kind() + " " + entry.version() + " entry is not this signature: "
                + bodyProblem;
    }

    private String subjectProblem(DsseEnvelope envelope, String artifactDigest) {
        if (!"application/vnd.in-toto+json".equals(envelope.payloadType())) {
            return null;
        }
        try {
            InTotoStatement statement = InTotoStatement.parse(json.apply(new String(envelope.payload(), StandardCharsets.UTF_8)));
            String[] digest = artifactDigest.split(":", 2);
            boolean about = statement.subjects().stream().anyMatch(s -> digest.length == 2 && digest[1].equalsIgnoreCase(
                    s.digest().get(digest[0])));
            return about ? null : "digest mismatch: the statement's subjects do not include the artifact " + artifactDigest;
        } catch (RuntimeException e) {
            return "digest mismatch: the DSSE payload is not a readable in-toto Statement (" + e.getMessage() + ")";
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** hashedrekord 0.0.1: {spec: {data: {hash: {algorithm, value}}, signature: {content, publicKey: {content}}}}. */
    private static String hashedRekordProblem(JsonNode body, byte[] digest, byte[] signature, Signer signer) {
        JsonNode spec = body.path("spec");
        if (!"hashedrekord".equals(body.path("kind").asString(""))) {
            return "it is a " + body.path("kind").asString("") + " entry, not a hashedrekord";
        }
        if (!hex(digest).equalsIgnoreCase(spec.path("data").path("hash").path("value").asString(""))) {
            return "it logs another digest";
        }
        if (!Base64.getEncoder().encodeToString(signature).equals(spec.path("signature").path("content").asString(""))) {
            return "it logs another signature";
        }
        if (!signer.isLogged(spec.path("signature").path("publicKey").path("content").asString(null))) {
            return "it logs another " + (signer.certificate() != null ? "certificate" : "public key");
        }
        return null;
    }

    private record MessageSigned(SigstoreBundle.MessageSignature message) implements Signed {

        @Override
        public String signatureProblem(Signer signer) {
            if (!"SHA2_256".equals(message.algorithm())) {
                return "message digest algorithm " + message.algorithm() + " is not supported (SHA2_256 is)";
            }
            return SignatureSchemes.verifyPrehashed(signer.key(), message.digest(), message.signature()) ? null
                    : "the message signature does not verify with the certificate's key";
        }

        @Override
        public String bodyProblem(JsonNode body, Signer signer) {
            return hashedRekordProblem(body, message.digest(), message.signature(), signer);
        }

        @Override
        public String what() {
            return "message signature";
        }
    }

    private record PayloadSigned(byte[] payload, byte[] signature) implements Signed {

        @Override
        public String signatureProblem(Signer signer) {
            return SignatureSchemes.verify(signer.key(), payload, signature) ? null
                    : "the cosign signature does not verify with the certificate's key over the signed payload";
        }

        @Override
        public String bodyProblem(JsonNode body, Signer signer) {
            return hashedRekordProblem(body, TransparencyLogProofs.sha256(payload), signature, signer);
        }

        @Override
        public String what() {
            return "cosign signature";
        }
    }

    private record DsseSigned(DsseEnvelope envelope) implements Signed {

        @Override
        public String signatureProblem(Signer signer) {
            if (envelope.signatures().size() != 1) {
                return "a keyless DSSE envelope must carry exactly one signature, this one carries " + envelope.signatures().size();
            }
            return SignatureSchemes.verify(signer.key(), envelope.preAuthenticationEncoding(), envelope.signatures().get(0).sig())
                    ? null : "the DSSE signature does not verify with the certificate's key";
        }

        /**
         * dsse 0.0.1: {spec: {payloadHash, signatures: [{signature, verifier}]}}; intoto 0.0.2:
         * {spec: {content: {payloadHash, envelope: {signatures: [{sig: base64(base64 sig), publicKey}]}}}}.
         */
        @Override
        public String bodyProblem(JsonNode body, Signer signer) {
            String kind = body.path("kind").asString("");
            JsonNode spec = "intoto".equals(kind) ? body.path("spec").path("content") : body.path("spec");
            if (!"dsse".equals(kind) && !"intoto".equals(kind)) {
                return "it is a " + kind + " entry, not a dsse or intoto entry";
            }
            if (!hex(TransparencyLogProofs.sha256(envelope.payload())).equalsIgnoreCase(spec.path("payloadHash").path("value").asString(""))) {
                return "it logs another payload";
            }
            byte[] signature = envelope.signatures().get(0).sig();
            JsonNode logged = "intoto".equals(kind) ? spec.path("envelope").path("signatures") : spec.path("signatures");
            for (JsonNode entry : logged) {
                byte[] sig = "intoto".equals(kind) ? decodeTwice(entry.path("sig").asString("")) : decode(entry.path("signature").asString(""));
                String certificate = "intoto".equals(kind) ? entry.path("publicKey").asString(null) : entry.path("verifier").asString(null);
                if (Arrays.equals(sig, signature) && signer.isLogged(certificate)) {
                    return null;
                }
            }
            return "it logs another signature or certificate";
        }

        private static byte[] decode(String text) {
            try {
                return Base64s.decode(text, "a logged signature");
            } catch (IllegalArgumentException e) {
                return new byte[0];
            }
        }

        private static byte[] decodeTwice(String text) {
            return decode(new String(decode(text), StandardCharsets.US_ASCII));
        }

        @Override
        public String what() {
            return "DSSE envelope (" + envelope.payloadType() + ")";
        }
    }
}

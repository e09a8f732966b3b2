package dev.assay.artifacts.internal.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.assay.artifacts.Fixtures;
import dev.assay.artifacts.internal.parse.CosignSignature;
import dev.assay.artifacts.internal.parse.SigstoreBundle;
import dev.assay.artifacts.internal.parse.SigstoreTrustedRoot;
import dev.assay.common.UntrustedJson;

/**
 * Keyless verification against the real Sigstore samples of fixtures/interop (origins and the
 * independent sigstore-js / openssl checks in FIXTURES.md): every positive case verifies, every
 * {@code _fail} case fails for the reason its README gives. Nothing here depends on today's date:
 * the time is the integrated time each log entry states.
 */
class KeylessInteropTests {

    private static final String CONFORMANCE = "interop/sigstore-conformance-bundle-verify/";
    private static final String PRODUCTION_ROOT = CONFORMANCE + "trusted_root.json";
    private static final String ACTIONS = "https://token.actions.githubusercontent.com";
    private static final String BEACON_SUBJECT = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon"
            + "/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
    private static final ExpectedIdentity BEACON = new ExpectedIdentity(ACTIONS, BEACON_SUBJECT, null, "organisation");

    private static final ExpectedIdentity MITR = new ExpectedIdentity("https://github.com/login/oauth", "mitr@redhat.com", null,
            "organisation");

    private final UntrustedJson json = new UntrustedJson();

    private SignatureVerifier verifier(String trustedRoot) {
        SigstoreTrustedRoot root = SigstoreTrustedRoot.parse(json.readTree(Fixtures.text(trustedRoot)));
        return new SignatureVerifier(json::readTree, new KeylessVerifier(root, null, json::readTree));
    }

    private SigstoreBundle bundle(String fixture) {
        return SigstoreBundle.parse(json.readTree(Fixtures.text(fixture)));
    }

    private static String sha256(String fixture) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Fixtures.bytes(fixture)));
    }

    private Verification conformance(String name, List<ExpectedIdentity> identities) throws Exception {
        return conformance(name, PRODUCTION_ROOT, CONFORMANCE + "a.txt", identities);
    }

    private Verification conformance(String name, String root, String artifact, List<ExpectedIdentity> identities) throws Exception {
        return verifier(root).verifyBundle(sha256(artifact), bundle(CONFORMANCE + name + "/bundle.sigstore.json"), List.of(),
                identities);
    }

    @Test
    void theProductionTrustedRootIsRead() {
        SigstoreTrustedRoot root = SigstoreTrustedRoot.parse(json.readTree(Fixtures.text(PRODUCTION_ROOT)));

        assertThat(root.certificateAuthorities()).hasSize(2);
        assertThat(root.certificateAuthorities().get(1).chain()).hasSize(2);
        assertThat(root.tlogs()).extracting(SigstoreTrustedRoot.TransparencyLog::baseUrl)
                .containsExactly("https://rekor.sigstore.dev", "https://log2025-1.rekor.sigstore.dev");
        assertThat(root.tlogs().get(1).key().getAlgorithm()).isIn("EdDSA", "Ed25519");
    }

    @Test
    void theConformanceHappyPathsVerify() throws Exception {
        assertThat(conformance("happy-path-v0.1", List.of(BEACON)).reason()).isEqualTo("verified keyless message signature by uri:"
                + BEACON_SUBJECT + " (issuer " + ACTIONS + "), an identity expected for organisation; certificate chains to the"
                + " trusted root, logged in https://rekor.sigstore.dev at 2023-07-12T15:56:36Z (log index 27246492)");
        Verification v3 = conformance("happy-path-v0.3", List.of(BEACON));
        assertThat(v3.status()).isEqualTo(Verification.VERIFIED);
        assertThat(v3.verified()).isTrue();
        assertThat(v3.reason()).endsWith("at 2024-03-19T17:26:26Z (log index 79571823)");
        Verification dsse = conformance("happy-path-intoto-in-dsse-v3", List.of(BEACON));
        assertThat(dsse.status()).isEqualTo(Verification.VERIFIED);
        assertThat(dsse.reason()).startsWith("verified keyless DSSE envelope (application/vnd.in-toto+json) by uri:" + BEACON_SUBJECT)
                .endsWith("at 2024-12-16T18:42:56Z (log index 155690850)");
    }

    @Test
    void aSubjectRegexAndATeamScopeAreHonoured() throws Exception {
        ExpectedIdentity regex = new ExpectedIdentity(ACTIONS, null,
                "https://github\\.com/sigstore-conformance/.+@refs/heads/main", "team:payments");
        assertThat(conformance("happy-path-v0.3", List.of(regex)).reason()).contains("an identity expected for team:payments");
    }

    @Test
    void anotherIdentityIsUntrusted() throws Exception {
        ExpectedIdentity other = new ExpectedIdentity(ACTIONS, "https://github.com/someone/else/.github/workflows/release.yml@refs/heads/main",
                null, "organisation");
        ExpectedIdentity otherIssuer = new ExpectedIdentity("https://github.com/login/oauth", BEACON_SUBJECT, null, "organisation");

        Verification result = conformance("happy-path-v0.3", List.of(other, otherIssuer));

        assertThat(result.status()).isEqualTo(Verification.UNTRUSTED_IDENTITY);
        assertThat(result.reason()).isEqualTo("untrusted identity: the certificate names uri:" + BEACON_SUBJECT + " (issuer "
                + ACTIONS + "), which matches none of the 2 expected identities");
        assertThat(conformance("happy-path-v0.3", List.of()).reason()).isEqualTo("untrusted identity: the certificate names uri:"
                + BEACON_SUBJECT + " (issuer " + ACTIONS + "), and no Sigstore identity is expected for this artifact's services,"
                + " their teams or the organisation");
    }

    @Test
    void theConformanceFailuresFailForTheirReason() throws Exception {
        assertThat(conformance("signature-mismatch_fail", List.of(BEACON)))
                .extracting(Verification::status, Verification::reason)
                .containsExactly(Verification.BAD_SIGNATURE, "bad signature: the message signature does not verify with the certificate's key");
        assertThat(conformance("dsse-mismatch-sig_fail", List.of(BEACON)))
                .extracting(Verification::status, Verification::reason)
                .containsExactly(Verification.TLOG_ENTRY_INVALID, "transparency-log entry invalid: the logged dsse 0.0.1 entry is not"
                        + " this signature: it logs another signature or certificate");
        assertThat(conformance("set-invalid-signature_fail", List.of(BEACON)))
                .extracting(Verification::status, Verification::reason)
                .containsExactly(Verification.TLOG_ENTRY_INVALID, "transparency-log entry invalid: the signed entry timestamp (SET)"
                        + " does not verify with the key of https://rekor.sigstore.dev");
        assertThat(conformance("inclusion-proof-corrupted-hash_fail", List.of(BEACON)))
                .extracting(Verification::status, Verification::reason)
                .containsExactly(Verification.TLOG_ENTRY_INVALID, "transparency-log entry invalid: the inclusion proof (log index"
                        + " 75408392, tree size 75408393) does not lead to its root hash");
        assertThat(conformance("invalid-checkpoint-signature_fail", List.of(BEACON)))
                .extracting(Verification::status, Verification::reason)
                .containsExactly(Verification.TLOG_ENTRY_INVALID, "transparency-log entry invalid: the checkpoint signature does not"
                        + " verify with the log's key");
        assertThat(conformance("bundle-from-wrong-instance_fail", List.of(BEACON)))
                .extracting(Verification::status, Verification::reason)
                .containsExactly(Verification.CERTIFICATE_CHAIN_INVALID, "certificate chain invalid: the certificate (issuer"
                        + " CN=sigstore-intermediate,O=sigstore.dev) does not chain to any of the 2 certificate authorities of the"
                        + " trusted root at 2023-07-12T17:35:19Z");
        assertThat(conformance("message-digest-mismatch_fail", List.of(BEACON)))
                .extracting(Verification::status, Verification::reason)
                .containsExactly(Verification.DIGEST_MISMATCH, "digest mismatch: the signed payload vouches for"
                        + " sha256:a1cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf, not for this artifact"
                        + " sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf");
        Verification wrongMaterial = conformance("wrong-material_fail", PRODUCTION_ROOT, CONFORMANCE + "wrong-material_fail/artifact",
                List.of(BEACON));
        assertThat(wrongMaterial.status()).isEqualTo(Verification.DIGEST_MISMATCH);
        assertThat(wrongMaterial.reason()).startsWith("digest mismatch: the signed payload vouches for sha256:a0cfc712");
        Verification expired = conformance("intoto-expired-certificate_fail", CONFORMANCE + "intoto-expired-certificate_fail/trusted_root.json",
                CONFORMANCE + "intoto-expired-certificate_fail/artifact", List.of(BEACON));
        assertThat(expired).extracting(Verification::status, Verification::reason)
                .containsExactly(Verification.CERTIFICATE_EXPIRED, "certificate expired: it was valid from 2030-01-01T00:00:00Z to"
                        + " 2030-01-01T00:10:00Z, but the log integrated the signature at 2023-02-01T00:00:00Z");
    }

    @Test
    void rekorV2IsNotSupportedYet() throws Exception {
        Verification result = conformance("rekor2-happy-path", CONFORMANCE + "rekor2-happy-path/trusted_root.json", CONFORMANCE + "a.txt",
                List.of(BEACON));
        assertThat(result).extracting(Verification::status, Verification::reason)
                .containsExactly(Verification.KEYLESS_NOT_SUPPORTED, "present, not verified: the hashedrekord 0.0.2 entry has no"
                        + " signed entry timestamp (SET) vouching for an integrated time (a Rekor v2 log, where a timestamp authority"
                        + " gives the time); RFC 3161 timestamps and Rekor v2 entries are not verified by this version");
    }

    @Test
    void realBundlesFromOtherToolsVerify() throws Exception {
        Verification github = verifier("interop/sigstore-bundle-v3-github-prod/trusted_root.json").verifyBundle(
                sha256("interop/sigstore-bundle-v3-github-prod/bundle_v3_github.whl"),
                bundle("interop/sigstore-bundle-v3-github-prod/bundle_v3_github.whl.sigstore"), List.of(),
                List.of(new ExpectedIdentity(ACTIONS, "https://github.com/trailofbits/rfc8785.py/.github/workflows/release.yml@refs/tags/v0.1.2",
                        null, "service:payments")));
        assertThat(github.status()).isEqualTo(Verification.VERIFIED);
        assertThat(github.reason()).contains("an identity expected for service:payments")
                .endsWith("logged in https://rekor.sigstore.dev at 2024-03-19T22:41:16Z (log index 79605083)");
        Verification staging = verifier("interop/sigstore-bundle-v3-staging/trusted_root.json").verifyBundle(
                sha256("interop/sigstore-bundle-v3-staging/bundle_v3.txt"), bundle("interop/sigstore-bundle-v3-staging/bundle_v3.txt.sigstore"),
                List.of(), List.of(new ExpectedIdentity("https://github.com/login/oauth", "william@yossarian.net", null, "organisation")));
        assertThat(staging.status()).isEqualTo(Verification.VERIFIED);
        assertThat(staging.reason()).startsWith("verified keyless message signature by email:william@yossarian.net (issuer"
                + " https://github.com/login/oauth)").endsWith("logged in https://rekor.sigstage.dev at 2024-04-02T19:19:09Z (log index 25915956)");
        Verification stagingOnProduction = verifier(PRODUCTION_ROOT).verifyBundle(
                sha256("interop/sigstore-bundle-v3-staging/bundle_v3.txt"), bundle("interop/sigstore-bundle-v3-staging/bundle_v3.txt.sigstore"),
                List.of(), List.of(new ExpectedIdentity("https://github.com/login/oauth", "william@yossarian.net", null, "organisation")));
        assertThat(stagingOnProduction.status()).isEqualTo(Verification.CERTIFICATE_CHAIN_INVALID);
        Verification npm = verifier("interop/npm-attestations-sigstore-go/trusted-root-public-good.json").verifyBundle(
                "sha512:76176ffa33808b54602c7c35de5c6e9a4deb96066dba6533f50ac234f4f1f4c6b3527515dc17c06fbe2860030f410eee69ea20079bd3a2c6f3dcf3b329b10751",
                bundle("interop/npm-attestations-sigstore-go/bundle-provenance.json"), List.of(),
                List.of(new ExpectedIdentity(ACTIONS, "https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main",
                        null, "organisation")));
        assertThat(npm.status()).isEqualTo(Verification.VERIFIED);
        assertThat(npm.reason()).endsWith("logged in https://rekor.sigstore.dev at 2023-04-18T17:45:12Z (log index 18300934)");
        Verification bcr = verifier(PRODUCTION_ROOT).verifyBundle(
                "sha256:06ce330900a7d6403bc8d88e5dfad6aeeb8ae40179f66bb89e69c8bf6f6b1a0b",
                bundle("provenance/sigstore-bundle-v0.3-dsse-statement-v1-slsa-v1-bcr.json"), List.of(),
                List.of(new ExpectedIdentity(ACTIONS, "https://github.com/bazel-contrib/publish-to-bcr/.github/workflows/publish.yaml@refs/tags/v0.0.1",
                        null, "organisation")));
        assertThat(bcr.status()).isEqualTo(Verification.VERIFIED);
        assertThat(bcr.reason()).endsWith("logged in https://rekor.sigstore.dev at 2025-03-26T23:47:30Z (log index 188622862)");
        // the same statement checked for another artifact: its subjects do not name it
        assertThat(verifier(PRODUCTION_ROOT).verifyBundle("sha256:" + "1".repeat(64),
                bundle("provenance/sigstore-bundle-v0.3-dsse-statement-v1-slsa-v1-bcr.json"), List.of(), List.of()).reason())
                .isEqualTo("digest mismatch: the statement's subjects do not include the artifact sha256:" + "1".repeat(64));
    }

    @Test
    void aLegacyCosignKeylessSignatureVerifies() {
        String folder = "interop/cosign-keyless-legacy-simplesigning/";
        CosignSignature signature = CosignSignature.fromSigstoreJson(json.readTree(CosignSignature.stripHeader(Fixtures.text(folder + "signature-1"))));
        Verification result = verifier(PRODUCTION_ROOT).verifyCosign(
                "sha256:0489474da8ea22426ece86ace6c1c0026ab2fd3cdfbbd62b7e94650266c37d9a", signature, List.of(),
                List.of(MITR));
        assertThat(result.status()).isEqualTo(Verification.VERIFIED);
        assertThat(result.reason()).isEqualTo("verified keyless cosign signature by email:mitr@redhat.com (issuer"
                + " https://github.com/login/oauth), an identity expected for organisation; certificate chains to the trusted root,"
                + " logged in https://rekor.sigstore.dev at 2023-01-20T20:51:33Z (log index 11605770)");

        // one byte of the payload changed: "fulcio-rekor-1" -> "fulcio-rekor-2"
        byte[] tampered = signature.payload().clone();
        tampered[new String(tampered, java.nio.charset.StandardCharsets.UTF_8).indexOf("rekor-1") + 6] = '2';
        CosignSignature altered = new CosignSignature(tampered, signature.signatureBase64(), signature.certificatePem(),
                signature.chainPem(), signature.bundleJson());
        Verification bad = verifier(PRODUCTION_ROOT).verifyCosign(
                "sha256:0489474da8ea22426ece86ace6c1c0026ab2fd3cdfbbd62b7e94650266c37d9a", altered, List.of(), List.of(MITR));
        assertThat(bad).extracting(Verification::status, Verification::reason).containsExactly(Verification.BAD_SIGNATURE,
                "bad signature: the cosign signature does not verify with the certificate's key over the signed payload");
        // an integrated time moved by one second (into the certificate's validity still): the log's SET no longer vouches for it
        CosignSignature otherTime = new CosignSignature(signature.payload(), signature.signatureBase64(), signature.certificatePem(),
                signature.chainPem(), signature.bundleJson().replace("\"integratedTime\":1674247893", "\"integratedTime\":1674247894"));
        assertThat(verifier(PRODUCTION_ROOT).verifyCosign("sha256:0489474da8ea22426ece86ace6c1c0026ab2fd3cdfbbd62b7e94650266c37d9a",
                otherTime, List.of(), List.of(MITR))).extracting(Verification::status, Verification::reason).containsExactly(
                        Verification.TLOG_ENTRY_INVALID, "transparency-log entry invalid: the signed entry timestamp (SET) does not"
                                + " verify with the key of https://rekor.sigstore.dev");
        // the certificate and signature without their Rekor entry: the signing time is unknown
        CosignSignature unlogged = new CosignSignature(signature.payload(), signature.signatureBase64(), signature.certificatePem(),
                signature.chainPem(), null);
        assertThat(verifier(PRODUCTION_ROOT).verifyCosign("sha256:0489474da8ea22426ece86ace6c1c0026ab2fd3cdfbbd62b7e94650266c37d9a",
                unlogged, List.of(), List.of(MITR)).status()).isEqualTo(Verification.TLOG_ENTRY_INVALID);
    }

    @Test
    void keyBasedBundlesHaveTheirRekorEntryCheckedWhenATrustedRootIsConfigured() throws Exception {
        TrustedKey managed = TrustedKey.of("managed", "organisation", PublicKeys.parsePem(Fixtures.text(CONFORMANCE
                + "managed-key-happy-path/key.pub")));
        String artifact = sha256(CONFORMANCE + "a.txt");
        assertThat(verifier(PRODUCTION_ROOT).verifyBundle(artifact, bundle(CONFORMANCE + "managed-key-happy-path/bundle.sigstore.json"),
                List.of(managed), List.of()).status()).isEqualTo(Verification.VERIFIED);

        TrustedKey staging = TrustedKey.of("staging", "organisation", PublicKeys.parsePem(Fixtures.text(CONFORMANCE
                + "managed-key-and-trusted-root/key.pub")));
        SigstoreBundle stagingBundle = bundle(CONFORMANCE + "managed-key-and-trusted-root/bundle.sigstore.json");
        assertThat(verifier(CONFORMANCE + "managed-key-and-trusted-root/trusted_root.json").verifyBundle(artifact, stagingBundle,
                List.of(staging), List.of()).status()).isEqualTo(Verification.VERIFIED);
        // the same bundle under the production root: its entry was logged by a log that root does not trust
        Verification wrongLog = verifier(PRODUCTION_ROOT).verifyBundle(artifact, stagingBundle, List.of(staging), List.of());
        assertThat(wrongLog.status()).isEqualTo(Verification.TLOG_ENTRY_INVALID);
        assertThat(wrongLog.reason()).startsWith("transparency-log entry invalid: logged by an unknown log (log id ")
                .endsWith(" is not in the trusted root)");
        // without a trusted root the key decides alone, as before
        assertThat(new SignatureVerifier(json::readTree).verifyBundle(artifact, stagingBundle, List.of(staging), List.of()).status())
                .isEqualTo(Verification.VERIFIED);

        // the npm registry's publish attestation: DSSE signed with its published key, logged as intoto 0.0.2 with a SET
        TrustedKey npm = TrustedKey.of("npm", "organisation", PublicKeys.parsePem(Fixtures.text(
                "interop/npm-attestations-sigstore-go/publish_key.pub")));
        assertThat(verifier("interop/npm-attestations-sigstore-go/trusted-root-public-good.json").verifyBundle("sha512:unused",
                bundle("interop/npm-attestations-sigstore-go/bundle-publish.json"), List.of(npm), List.of()).status())
                .isEqualTo(Verification.VERIFIED);
    }

    @Test
    void withoutATrustedRootKeylessStaysPresentNotVerified() throws Exception {
        Verification result = new SignatureVerifier(json::readTree).verifyBundle(sha256(CONFORMANCE + "a.txt"),
                bundle(CONFORMANCE + "happy-path-v0.3/bundle.sigstore.json"), List.of(), List.of(BEACON));

        assertThat(result).extracting(Verification::status, Verification::reason).containsExactly(Verification.KEYLESS_NOT_SUPPORTED,
                "present, not verified: no Sigstore trusted root configured (assay.artifacts.sigstore.trusted-root); the certificate"
                        + " claims uri:" + BEACON_SUBJECT + " (issuer " + ACTIONS + ")");
    }
}

package dev.assay.artifacts.internal.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.assay.artifacts.Fixtures;
import dev.assay.artifacts.internal.parse.CosignSignature;
import dev.assay.artifacts.internal.parse.DsseEnvelope;
import dev.assay.artifacts.internal.parse.SigstoreBundle;
import dev.assay.common.UntrustedJson;

/**
 * Assay's verifier must agree with the independent checks recorded in fixtures/interop/FIXTURES.md:
 * openssl and the sigstore-js verifier said which of these verify and which do not.
 */
class SignatureInteropTests {

    private static final String COSIGN_DIGEST = "sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00";
    private static final String REKOR_DIGEST = "sha256:0489474da8ea22426ece86ace6c1c0026ab2fd3cdfbbd62b7e94650266c37d9a";

    private final UntrustedJson json = new UntrustedJson();
    private final SignatureVerifier verifier = new SignatureVerifier(json::readTree);

    private TrustedKey key(String fixture) {
        return TrustedKey.of(fixture, "organisation", PublicKeys.parsePem(Fixtures.text(fixture)));
    }

    private CosignSignature cosign(String fixture) {
        return CosignSignature.fromSigstoreJson(json.readTree(CosignSignature.stripHeader(Fixtures.text(fixture))));
    }

    @Test
    void aCosignKeySignatureVerifiesWithItsPublicKey() throws Exception {
        CosignSignature signature = cosign("interop/cosign-key-simplesigning/signature-1");
        assertThat(signature.payload()).isEqualTo(Fixtures.bytes("interop/cosign-key-simplesigning/payload.json"));
        assertThat(signature.signatureBase64()).isEqualTo(Fixtures.text("interop/cosign-key-simplesigning/signature.b64"));
        // the signed manifest's own hash is the digest the payload names
        assertThat("sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Fixtures.bytes("interop/cosign-key-simplesigning/manifest.json")))).isEqualTo(COSIGN_DIGEST);

        Verification result = verifier.verifyCosign(COSIGN_DIGEST, signature, List.of(key("interop/cosign-key-simplesigning/cosign.pub")));

        assertThat(result.verified()).isTrue();
        assertThat(result.status()).isEqualTo(Verification.VERIFIED);
        assertThat(result.reason()).startsWith("verified with trusted key interop/cosign-key-simplesigning/cosign.pub (organisation, ECDSA P-256");
    }

    @Test
    void oneChangedByteOfThePayloadIsABadSignature() {
        CosignSignature genuine = cosign("interop/cosign-key-simplesigning/signature-1");
        byte[] tampered = genuine.payload().clone();
        // "cosign container image signature" -> "cosign container image signaturf"
        int at = new String(tampered, StandardCharsets.UTF_8).indexOf("signature\"}");
        tampered[at + 8] = 'f';
        CosignSignature altered = new CosignSignature(tampered, genuine.signatureBase64(), null, null, null);

        Verification result = verifier.verifyCosign(COSIGN_DIGEST, altered, List.of(key("interop/cosign-key-simplesigning/cosign.pub")));

        assertThat(result.verified()).isFalse();
        assertThat(result.status()).isEqualTo(Verification.BAD_SIGNATURE);
        assertThat(result.reason()).startsWith("bad signature: no trusted key verifies it (1 tried)");
    }

    @Test
    void aValidSignatureForAnotherDigestIsADigestMismatch() {
        String other = "sha256:" + "1".repeat(64);

        Verification result = verifier.verifyCosign(other, cosign("interop/cosign-key-simplesigning/signature-1"),
                List.of(key("interop/cosign-key-simplesigning/cosign.pub")));

        assertThat(result.verified()).isFalse();
        assertThat(result.status()).isEqualTo(Verification.DIGEST_MISMATCH);
        assertThat(result.reason()).isEqualTo("digest mismatch: the signed payload vouches for " + COSIGN_DIGEST
                + ", not for this artifact " + other + " (the signature itself is valid, key interop/cosign-key-simplesigning/cosign.pub)");
    }

    @Test
    void aSignatureByAnUnpublishedKeyDoesNotVerify() {
        CosignSignature unknown = cosign("interop/cosign-key-simplesigning/unknown-cosign-key.signature");
        assertThat(unknown.signatureBase64()).isEqualTo(Fixtures.text("interop/cosign-key-simplesigning/unknown-cosign-key.signature.b64"));

        Verification result = verifier.verifyCosign(COSIGN_DIGEST, unknown, List.of(key("interop/cosign-key-simplesigning/cosign.pub")));

        // no key hint in this signature: "altered" and "signed by a stranger" cannot be told apart
        assertThat(result.status()).isEqualTo(Verification.BAD_SIGNATURE);
        assertThat(result.reason()).contains("made with a key that is not trusted");
    }

    @Test
    void aRekorBundleNamesTheSigningKeySoAnUntrustedOneIsReportedAsUnknown() {
        CosignSignature signature = cosign("interop/cosign-key-rekor-simplesigning/signature-1");

        assertThat(verifier.verifyCosign(REKOR_DIGEST, signature, List.of(key("interop/cosign-key-rekor-simplesigning/cosign2.pub")))
                .verified()).isTrue();
        Verification wrongKey = verifier.verifyCosign(REKOR_DIGEST, signature, List.of(key("interop/cosign-key-simplesigning/cosign.pub")));
        assertThat(wrongKey.status()).isEqualTo(Verification.UNKNOWN_KEY);
        assertThat(wrongKey.reason()).startsWith("unknown key: signed with key "
                + PublicKeys.fingerprint(PublicKeys.parsePem(Fixtures.text("interop/cosign-key-rekor-simplesigning/cosign2.pub"))));
    }

    @Test
    void aKeylessSignatureIsPresentButNotVerifiedWithoutATrustedRoot() {
        CosignSignature keyless = cosign("interop/cosign-keyless-legacy-simplesigning/signature-1");

        Verification result = verifier.verifyCosign(REKOR_DIGEST, keyless, List.of(key("interop/cosign-key-simplesigning/cosign.pub")));

        assertThat(result.verified()).isFalse();
        assertThat(result.status()).isEqualTo(Verification.KEYLESS_NOT_SUPPORTED);
        assertThat(result.reason()).isEqualTo("present, not verified: no Sigstore trusted root configured"
                + " (assay.artifacts.sigstore.trusted-root); the certificate claims email:mitr@redhat.com (issuer https://github.com/login/oauth)");
    }

    @Test
    void withoutATrustedKeyNothingVerifies() {
        Verification result = verifier.verifyCosign(COSIGN_DIGEST, cosign("interop/cosign-key-simplesigning/signature-1"), List.of());
        assertThat(result.status()).isEqualTo(Verification.NO_TRUSTED_KEY);
    }

    @Test
    void inTotoDsseEnvelopesSignedWithRsaPssVerifyWithTheirKeys() {
        assertThat(dsse("demo.dsse.layout", "alice.pub").verified()).isTrue();
        assertThat(dsse("clone-dsse.776a00e2.link", "bob.pub").verified()).isTrue();
        assertThat(dsse("package-dsse.2f89b927.link", "carl.pub").verified()).isTrue();
        Verification wrong = dsse("clone-dsse.776a00e2.link", "alice.pub");
        assertThat(wrong.verified()).isFalse();
        assertThat(wrong.status()).isEqualTo(Verification.BAD_SIGNATURE);
    }

    private Verification dsse(String envelope, String key) {
        return verifier.verifyDsse(DsseEnvelope.parse(json.readTree(Fixtures.text("interop/in-toto-dsse-rsa-pss/" + envelope))),
                List.of(key("interop/in-toto-dsse-rsa-pss/" + key)), null);
    }

    @Test
    void theNpmPublishAttestationVerifiesWithTheRegistryKeyAndNamesItsKey() {
        DsseEnvelope envelope = DsseEnvelope.parse(json.readTree(Fixtures.text("interop/npm-attestations-sigstore-go/bundle-publish.dsse-envelope.json")));
        TrustedKey npm = key("interop/npm-attestations-sigstore-go/publish_key.pub");
        assertThat(npm.matchesHint("SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA")).isTrue();

        assertThat(verifier.verifyDsse(envelope, List.of(npm), null).verified()).isTrue();
        Verification stranger = verifier.verifyDsse(envelope, List.of(key("interop/cosign-key-simplesigning/cosign.pub")), null);
        assertThat(stranger.status()).isEqualTo(Verification.UNKNOWN_KEY);
        assertThat(stranger.reason()).contains("SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA");

        SigstoreBundle bundle = SigstoreBundle.parse(json.readTree(Fixtures.text("interop/npm-attestations-sigstore-go/bundle-publish.json")));
        assertThat(verifier.verifyBundle("sha256:" + "0".repeat(64), bundle, List.of(npm)).verified()).isTrue();
    }

    @Test
    void sigstoreConformanceManagedKeyCasesAgree() throws Exception {
        String artifact = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Fixtures.bytes("interop/sigstore-conformance-bundle-verify/a.txt")));
        SigstoreBundle happy = bundle("managed-key-happy-path");
        TrustedKey key = key("interop/sigstore-conformance-bundle-verify/managed-key-happy-path/key.pub");

        assertThat(verifier.verifyBundle(artifact, happy, List.of(key)).verified()).isTrue();
        assertThat(verifier.verifyBundle(artifact, bundle("managed-key-and-trusted-root"), List.of(
                key("interop/sigstore-conformance-bundle-verify/managed-key-and-trusted-root/key.pub"))).verified()).isTrue();
        // _fail: the supplied key is corrupted (its last base64 characters replaced): it still decodes to a
        // key, but not to the one the bundle's hint names, and it verifies nothing
        Verification corrupted = verifier.verifyBundle(artifact, bundle("managed-key-wrong-key_fail"),
                List.of(key("interop/sigstore-conformance-bundle-verify/managed-key-wrong-key_fail/key.pub")));
        assertThat(corrupted.verified()).isFalse();
        assertThat(corrupted.status()).isEqualTo(Verification.UNKNOWN_KEY);
        // _fail: no key supplied
        assertThat(verifier.verifyBundle(artifact, bundle("managed-key-no-key_fail"), List.of()).verified()).isFalse();
        // another artifact: the signature is valid but for a different digest
        assertThat(verifier.verifyBundle("sha256:" + "2".repeat(64), happy, List.of(key)).status())
                .isEqualTo(Verification.DIGEST_MISMATCH);
        // a key that is not the one the hint names
        Verification stranger = verifier.verifyBundle(artifact, happy, List.of(key("interop/cosign-key-simplesigning/cosign.pub")));
        assertThat(stranger.status()).isEqualTo(Verification.UNKNOWN_KEY);
    }

    @Test
    void sigstoreConformanceKeylessCasesAreNeverCountedAsVerified() throws Exception {
        String artifact = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Fixtures.bytes("interop/sigstore-conformance-bundle-verify/a.txt")));
        TrustedKey any = key("interop/cosign-key-simplesigning/cosign.pub");
        for (String passing : List.of("happy-path-v0.1", "happy-path-v0.3", "happy-path-intoto-in-dsse-v3")) {
            Verification result = verifier.verifyBundle(artifact, bundle(passing), List.of(any));
            assertThat(result.status()).as(passing).isEqualTo(Verification.KEYLESS_NOT_SUPPORTED);
            assertThat(result.reason()).as(passing).contains("extremely-dangerous-oidc-beacon");
        }
        for (String failing : List.of("signature-mismatch_fail", "dsse-mismatch-sig_fail", "set-invalid-signature_fail",
                "inclusion-proof-corrupted-hash_fail", "invalid-checkpoint-signature_fail", "bundle-from-wrong-instance_fail")) {
            assertThat(verifier.verifyBundle(artifact, bundle(failing), List.of(any)).verified()).as(failing).isFalse();
        }
        assertThat(verifier.verifyBundle(artifact, bundle("message-digest-mismatch_fail"), List.of(any)).status())
                .isEqualTo(Verification.DIGEST_MISMATCH);
    }

    private SigstoreBundle bundle(String name) {
        return SigstoreBundle.parse(json.readTree(Fixtures.text("interop/sigstore-conformance-bundle-verify/" + name + "/bundle.sigstore.json")));
    }
}

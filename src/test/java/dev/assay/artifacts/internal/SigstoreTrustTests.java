package dev.assay.artifacts.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.DefaultResourceLoader;

import dev.assay.artifacts.Fixtures;
import dev.assay.artifacts.internal.parse.SigstoreBundle;
import dev.assay.artifacts.internal.verify.Verification;
import dev.assay.common.UntrustedJson;

/** A trusted root that is missing or is not one leaves keyless signatures unverified, saying why. */
class SigstoreTrustTests {

    private final UntrustedJson json = new UntrustedJson();

    private Verification keylessWith(String trustedRoot) {
        ArtifactSettings settings = new ArtifactSettings(new ArtifactSettings.Licenses(List.of(), List.of()), Duration.ofDays(7),
                Duration.ofDays(30), 4_194_304, 16_777_216, 1000, new ArtifactSettings.Sigstore(trustedRoot, null));
        SigstoreTrust trust = new SigstoreTrust(settings, new DefaultResourceLoader(), json);
        SigstoreBundle bundle = SigstoreBundle.parse(json.readTree(Fixtures.text(
                "interop/sigstore-conformance-bundle-verify/happy-path-v0.3/bundle.sigstore.json")));
        return trust.verifier().verifyBundle("sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf", bundle,
                List.of(), List.of());
    }

    @Test
    void aMissingOrWrongTrustedRootIsSaid() {
        assertThat(keylessWith("/nonexistent/trusted_root.json").reason()).startsWith("present, not verified: the Sigstore trusted"
                + " root /nonexistent/trusted_root.json cannot be used (the file does not exist); the certificate claims uri:");
        assertThat(keylessWith("classpath:fixtures/interop/sigstore-conformance-bundle-verify/happy-path-v0.3/bundle.sigstore.json")
                .reason()).startsWith("present, not verified: the Sigstore trusted root classpath:fixtures/interop/sigstore-conformance"
                        + "-bundle-verify/happy-path-v0.3/bundle.sigstore.json cannot be used (not a Sigstore trusted root: mediaType must"
                        + " be application/vnd.dev.sigstore.trustedroot…)");
        assertThat(keylessWith(null).status()).isEqualTo(Verification.KEYLESS_NOT_SUPPORTED);
    }

    @Test
    void aConfiguredTrustedRootIsUsed() {
        assertThat(keylessWith("classpath:fixtures/interop/sigstore-conformance-bundle-verify/trusted_root.json").status())
                .isEqualTo(Verification.UNTRUSTED_IDENTITY);
    }
}

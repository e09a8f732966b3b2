package dev.assay.artifacts.internal.parse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.assay.artifacts.Fixtures;
import dev.assay.common.UntrustedJson;
import tools.jackson.databind.JsonNode;

/** DSSE envelopes, in-toto Statements v0.1 / v1 and SLSA provenance v0.2 / v1 from the published samples. */
class ProvenanceParsersTests {

    private final UntrustedJson json = new UntrustedJson();

    private InTotoStatement statementOf(DsseEnvelope envelope) {
        return InTotoStatement.parse(json.readTree(new String(envelope.payload(), java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void slsaV1FromTheBazelBuilder() {
        DsseEnvelope envelope = DsseEnvelope.parse(json.readTree(Fixtures.text("provenance/dsse-envelope-slsa-provenance-v1-bazel-builder.json")));
        InTotoStatement statement = statementOf(envelope);

        assertThat(envelope.payloadType()).isEqualTo("application/vnd.in-toto+json");
        assertThat(envelope.signatures()).hasSize(1);
        assertThat(statement.type()).isEqualTo(InTotoStatement.V01);
        assertThat(statement.subjects()).singleElement().satisfies(s -> assertThat(s.ociDigest())
                .isEqualTo("sha256:caaadba2846905ac477c777e96a636e1c2e067fdf6fed90ec9eeca4df18d6ed9"));
        SlsaProvenance provenance = SlsaProvenance.from(statement).orElseThrow();
        assertThat(provenance.slsaVersion()).isEqualTo("1");
        assertThat(provenance.builderId()).isEqualTo(
                "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/builder_bazel_slsa3.yml@refs/tags/v1.8.0");
        assertThat(provenance.buildType()).isEqualTo("https://github.com/slsa-framework/slsa-github-generator/delegator-generic@v0");
        assertThat(provenance.sourceRepository()).isEqualTo("https://github.com/enteraga6/slsa-lvl3-generic-provenance-with-bazel-example");
        assertThat(provenance.sourceRef()).isEqualTo("refs/heads/main");
        assertThat(provenance.sourceCommit()).isEqualTo("7f23ac4783cb702a68c55f7955cc296fdd425dbb");
        assertThat(provenance.runUrl()).isEqualTo(
                "https://github.com/enteraga6/slsa-lvl3-generic-provenance-with-bazel-example/actions/runs/5792108748/attempts/1");
    }

    @Test
    void slsaV1InAStatementV1InsideASigstoreBundle() {
        SigstoreBundle bundle = SigstoreBundle.parse(json.readTree(Fixtures.text("provenance/sigstore-bundle-v0.3-dsse-statement-v1-slsa-v1-bcr.json")));
        InTotoStatement statement = statementOf(bundle.dsse());

        assertThat(bundle.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(bundle.tlogEntries()).isEqualTo(1);
        assertThat(statement.type()).isEqualTo(InTotoStatement.V1);
        SlsaProvenance provenance = SlsaProvenance.from(statement).orElseThrow();
        assertThat(provenance.buildType()).isEqualTo("https://actions.github.io/buildtypes/workflow/v1");
        assertThat(provenance.builderId()).isEqualTo("https://github.com/bazel-contrib/publish-to-bcr/.github/workflows/publish.yaml@refs/tags/v0.0.1");
        assertThat(provenance.sourceRepository()).isEqualTo("https://github.com/aspect-build/rules_lint");
        assertThat(provenance.sourceCommit()).isEqualTo("8f70009fde0c94ade6ce2a054b94718c819126ec");
        assertThat(provenance.runUrl()).isEqualTo("https://github.com/aspect-build/rules_lint/actions/runs/14095611671/attempts/1");
    }

    @Test
    void slsaV02FromTheNpmProvenanceBundleBuildsTheRunUrlFromGithubVariables() {
        JsonNode node = json.readTree(Fixtures.text("interop/npm-attestations-sigstore-go/bundle-provenance.json"));
        SigstoreBundle bundle = SigstoreBundle.parse(node);
        SlsaProvenance provenance = SlsaProvenance.from(statementOf(bundle.dsse())).orElseThrow();

        assertThat(provenance.slsaVersion()).isEqualTo("0.2");
        assertThat(provenance.builderId()).isEqualTo("https://github.com/actions/runner");
        assertThat(provenance.buildType()).isEqualTo("https://github.com/npm/cli/gha/v2");
        assertThat(provenance.sourceRepository()).isEqualTo("https://github.com/sigstore/sigstore-js");
        assertThat(provenance.sourceRef()).isEqualTo("refs/heads/main");
        assertThat(provenance.sourceCommit()).isEqualTo("dae8bd8eb433a4147b4655c00fe73e0f22bc0fb1");
        assertThat(provenance.invocationId()).isEqualTo("4735384265-1");
        assertThat(provenance.runUrl()).isEqualTo("https://github.com/sigstore/sigstore-js/actions/runs/4735384265/attempts/1");
    }

    @Test
    void aNonSlsaPredicateIsAnAttestationWithoutProvenance() {
        SigstoreBundle bundle = SigstoreBundle.parse(json.readTree(Fixtures.text("provenance/cosign-attest-sigstore-bundle-v0.3.json")));
        InTotoStatement statement = statementOf(bundle.dsse());

        assertThat(statement.predicateType()).isEqualTo("https://cosign.sigstore.dev/attestation/v1");
        assertThat(statement.subjects()).singleElement().satisfies(s -> assertThat(s.name()).isEqualTo("127.0.0.1:60943/repo"));
        assertThat(SlsaProvenance.from(statement)).isEmpty();
    }
}

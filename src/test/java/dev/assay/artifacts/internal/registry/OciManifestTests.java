package dev.assay.artifacts.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.assay.artifacts.Fixtures;
import dev.assay.artifacts.internal.registry.OciManifest.Descriptor;
import dev.assay.common.UntrustedJson;

/** Manifests, indexes and referrers lists from the image-spec, distribution-spec, buildx and regclient samples. */
class OciManifestTests {

    private final UntrustedJson json = new UntrustedJson();

    private OciManifest parse(String fixture) {
        return OciManifest.parse(json.readTree(Fixtures.text(fixture)), null);
    }

    @Test
    void anImageManifestHasAConfigLayersAndASubject() {
        OciManifest manifest = parse("registry/oci-image-manifest.image-spec-example.json");
        assertThat(manifest.isIndex()).isFalse();
        assertThat(manifest.config().digest()).isEqualTo("sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7");
        assertThat(manifest.layers()).hasSize(3);
        assertThat(manifest.subject().digest()).isEqualTo("sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270");
        assertThat(manifest.annotations()).containsEntry("com.example.key1", "value1");
        assertThat(parse("registry/oci-image-manifest-buildx-linux-amd64.json").layers()).hasSize(10);
    }

    @Test
    void aBuildxIndexFlagsItsAttestationManifest() {
        OciManifest index = parse("registry/oci-image-index-buildx-with-attestation-manifest.json");
        assertThat(index.isIndex()).isTrue();
        assertThat(index.manifests()).extracting(Descriptor::architecture, Descriptor::isAttestationManifest)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("amd64", false), org.assertj.core.groups.Tuple.tuple("unknown", true));
        assertThat(index.manifests().get(1).annotation("vnd.docker.reference.digest"))
                .isEqualTo("sha256:ae01bed04d3f41efa80182824a50345cd1430f4d1a9308eda4369122bd94c85e");
        assertThat(parse("registry/oci-image-index.image-spec-example.json").manifests()).extracting(Descriptor::architecture)
                .containsExactly("ppc64le", "amd64");
    }

    @Test
    void referrersAreFollowedWhenTheirArtifactTypeIsEvidence() {
        OciManifest referrers = parse("registry/oci-referrers-index-regclient-testrepo.json");
        assertThat(referrers.manifests()).extracting(Descriptor::artifactType)
                .containsExactly("application/example.sbom", "application/example.signature");
        assertThat(referrers.manifests()).allMatch(OciArtifactProcessor::evidenceType);
        assertThat(OciArtifactProcessor.evidenceType(new Descriptor(null, "sha256:" + "0".repeat(64), 1L,
                "application/vnd.example.helm.chart", java.util.Map.of(), null, null, null))).isFalse();
        assertThat(OciArtifactProcessor.evidenceType(new Descriptor(null, "sha256:" + "0".repeat(64), 1L,
                "application/vnd.dev.sigstore.bundle.v0.3+json", java.util.Map.of(), null, null, null))).isTrue();
    }

    @Test
    void theSpecsNotStrictReferrersExampleIsRefusedAsJson() {
        assertThatThrownBy(() -> json.readTree(Fixtures.text("registry/oci-referrers-response.distribution-spec-example.not-strict-json.txt")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not valid JSON: ");
        assertThatThrownBy(() -> OciManifest.parse(json.readTree("{\"schemaVersion\":1,\"name\":\"x\"}"), null))
                .hasMessageContaining("schemaVersion 2");
    }
}

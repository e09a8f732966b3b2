package dev.assay.artifacts.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.assay.artifacts.internal.parse.ArtifactRef;

/** The folder convention of docs/artifacts.md: {@code …/<registry host>/<repository>/sha256-<hex>/<file>}. */
class EvidenceFolderConventionTests {

    static final String HEX = "cea2145d266cf72d335dd92a86697838ea840464341ca1590dd10a2258836f84";

    @Test
    void aPathRelativeToTheSourcesFileNamesRepositoryAndDigest() {
        ArtifactRef ref = EvidenceFileFormat.artifactOfPath("demo/artifacts/registry.acme.example/acme/payments-api/sha256-" + HEX + "/trivy.json");

        assertThat(ref.repository()).isEqualTo("registry.acme.example/acme/payments-api");
        assertThat(ref.digest()).isEqualTo("sha256:" + HEX);
    }

    /** Files outside the sources file's folder are located by URI; the scheme is not a registry host. */
    @Test
    void aFileUriOutsideTheSourcesFolderNamesTheSameArtifact() {
        ArtifactRef ref = EvidenceFileFormat.artifactOfPath(
                "file:/check/work/main/batch-jobs/demo/artifacts/registry.acme.example/acme/payments-api/sha256-" + HEX + "/sbom.cdx.json");

        assertThat(ref.repository()).isEqualTo("registry.acme.example/acme/payments-api");
        assertThat(ref.digest()).isEqualTo("sha256:" + HEX);
    }

    @Test
    void aRegistryWithAPortAtTheStartIsKept() {
        ArtifactRef ref = EvidenceFileFormat.artifactOfPath("localhost:5000/acme/api/sha256-" + HEX + "/signature.sig");

        assertThat(ref.repository()).isEqualTo("localhost:5000/acme/api");
    }

    @Test
    void withoutARegistryHostOnlyTheDigestIsKnown() {
        ArtifactRef ref = EvidenceFileFormat.artifactOfPath("evidence/sha256-" + HEX + "/trivy.json");

        assertThat(ref.repository()).isNull();
        assertThat(ref.digest()).isEqualTo("sha256:" + HEX);
        assertThat(EvidenceFileFormat.artifactOfPath("evidence/trivy.json")).isNull();
    }
}

package dev.assay.builds;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How the references provenance documents give are reduced to what Assay stores of a run. */
class KnownRunsReferenceTests {

    @Test
    void repositoriesAreReducedToTheStoredPath() {
        assertThat(KnownRuns.repositoryPath("git+https://github.com/acme/payments-api@refs/heads/main")).isEqualTo("acme/payments-api");
        assertThat(KnownRuns.repositoryPath("https://github.com/Acme/Payments-API")).isEqualTo("acme/payments-api");
        assertThat(KnownRuns.repositoryPath("https://gitlab.example.com/group/sub/project.git")).isEqualTo("group/sub/project");
        assertThat(KnownRuns.repositoryPath("git@github.com:acme/api.git")).isEqualTo("acme/api");
        assertThat(KnownRuns.repositoryPath("acme/api@refs/tags/v1.2.0")).isEqualTo("acme/api");
        assertThat(KnownRuns.repositoryPath(" ")).isNull();
    }

    @Test
    void runUrlsLoseTheirAttemptAndTrailingSlash() {
        assertThat(KnownRuns.normalUrl("https://GitHub.com/acme/api/actions/runs/13254817101/attempts/1"))
                .isEqualTo("https://github.com/acme/api/actions/runs/13254817101");
        assertThat(KnownRuns.normalUrl("https://jenkins.acme.example/job/acme/job/api/job/main/7/"))
                .isEqualTo("https://jenkins.acme.example/job/acme/job/api/job/main/7");
        assertThat(KnownRuns.normalUrl("not a url")).isNull();
        assertThat(KnownRuns.normalUrl("urn:uuid:1234")).isNull();
    }
}

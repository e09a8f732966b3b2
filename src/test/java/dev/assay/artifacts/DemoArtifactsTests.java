package dev.assay.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.assay.DatabaseCleaner;
import dev.assay.catalog.Ratio;
import dev.assay.collect.CollectionLauncher;
import dev.assay.collect.CollectionRuns;
import dev.assay.collect.JobExecutions;
import dev.assay.collect.JobStatus;

/**
 * The demo evidence of batch-jobs/demo/artifacts, imported by a files source as the demo does: every
 * document is read (none quarantined), and the demo's coverage figures are the ones its README
 * promises — neither 0% nor 100%.
 */
@ArtifactsIntegrationTest
class DemoArtifactsTests {

    static Path sources;

    /** Sources as batch-jobs/sources.yml should list them (see docs/artifacts.md), with absolute paths. */
    @BeforeAll
    static void demoSources() throws IOException {
        Path demo = Path.of("batch-jobs/demo").toAbsolutePath();
        sources = Files.createTempFile("assay-demo-sources", ".yml");
        Files.writeString(sources, """
                sources:
                  - id: artifacts-demo-catalog
                    type: files
                    paths:
                      - %1$s/catalog/*.yaml
                  - id: artifacts-demo
                    type: files
                    paths:
                      - %1$s/artifacts/**/*.json
                      - %1$s/artifacts/**/*.sarif
                      - %1$s/artifacts/**/*.sig
                    trusted-keys:
                      - %1$s/artifacts/keys/acme-release.pub
                  - id: artifacts-demo-github
                    type: github-actions
                    base-url: replay:%1$s/ci/github
                    repositories: [acme/payments-api]
                """.formatted(demo));
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("assay.sources-file", () -> sources.toString());
    }

    @AfterAll
    static void removeSources() throws IOException {
        Files.deleteIfExists(sources);
    }

    @Autowired CollectionLauncher launcher;
    @Autowired JobExecutions executions;
    @Autowired ArtifactFigures figures;
    @Autowired DataSource dataSource;

    @BeforeEach
    void clean() {
        new DatabaseCleaner(dataSource).cleanAllExcept("app_user", "user_role");
    }

    @Test
    void theDemoEvidenceIsImportedAndGivesTheDocumentedFigures() {
        assertThat(CollectionRuns.collectAndWait(launcher, executions, "artifacts-demo-catalog").status()).isEqualTo("COMPLETED");
        // the CI runs the provenance documents name (payments-api's release run; ledger-service's is never collected)
        assertThat(CollectionRuns.collectAndWait(launcher, executions, "artifacts-demo-github").status()).isEqualTo("COMPLETED");
        JobStatus run = CollectionRuns.collectAndWait(launcher, executions, "artifacts-demo");

        assertThat(run.status()).isEqualTo("COMPLETED");
        assertThat(run.read()).isEqualTo(17);
        assertThat(run.written()).isEqualTo(17);
        assertThat(run.quarantined()).isZero();

        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        assertThat(jdbc.queryForList("select r.repository || ' ' || s.status from signature s"
                + " join artifact_repository r on r.artifact_id = s.artifact_id order by 1", String.class)).containsExactly(
                "registry.acme.example/acme/card-issuing-service bad-signature",
                "registry.acme.example/acme/fraud-scoring-service bad-signature",
                "registry.acme.example/acme/identity-api verified",
                "registry.acme.example/acme/ledger-service verified",
                "registry.acme.example/acme/payments-api verified");
        assertThat(jdbc.queryForList("select c.name from sbom_license_violation v join sbom_component c"
                + " on c.sbom_id = v.sbom_id and c.ordinal = v.ordinal", String.class)).containsExactly("pdf-renderer");
        assertThat(jdbc.queryForObject("select count(*) from sbom s join artifact_repository r on r.artifact_id = s.artifact_id"
                + " where r.repository = 'registry.acme.example/platform/assay' and s.component_count > 100", Integer.class)).isEqualTo(1);

        CoverageFigures organisation = figures.coverage(Duration.ofDays(30), null, null);
        assertThat(List.of(organisation.signed(), organisation.signedUnverified(), organisation.scanned(), organisation.sbom(),
                organisation.provenance())).containsExactly(new Ratio(3, 7), new Ratio(2, 7), new Ratio(4, 7), new Ratio(6, 7),
                        new Ratio(1, 7));
        CoverageFigures payments = figures.coverage(Duration.ofDays(30), "payments", null);
        assertThat(List.of(payments.signed(), payments.signedUnverified(), payments.scanned(), payments.sbom(), payments.provenance()))
                .containsExactly(new Ratio(2, 3), new Ratio(1, 3), new Ratio(3, 3), new Ratio(3, 3), new Ratio(1, 3));

        // imported again unchanged: every file is skipped by its cursor
        JobStatus again = CollectionRuns.collectAndWait(launcher, executions, "artifacts-demo");
        assertThat(again.read()).isZero();
        assertThat(jdbc.queryForObject("select count(*) from signature", Integer.class)).isEqualTo(5);
    }
}

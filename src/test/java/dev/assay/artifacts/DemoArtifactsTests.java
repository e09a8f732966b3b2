package dev.assay.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

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
import dev.assay.catalog.FigureScope;
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
    @Autowired dev.assay.catalog.Catalog catalog;

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

    @Test
    void theRollupsBulkCoverageEqualsEachScopeAlone() {
        assertThat(CollectionRuns.collectAndWait(launcher, executions, "artifacts-demo-catalog").status()).isEqualTo("COMPLETED");
        assertThat(CollectionRuns.collectAndWait(launcher, executions, "artifacts-demo-github").status()).isEqualTo("COMPLETED");
        assertThat(CollectionRuns.collectAndWait(launcher, executions, "artifacts-demo").status()).isEqualTo("COMPLETED");
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        // Shared repositories: every artifact of ledger-service is also in identity-api's repository (an older
        // one there than identity-api's newest), and one artifact is in no repository at all.
        jdbc.update("insert into artifact_repository (artifact_id, repository, first_seen_at) select artifact_id,"
                + " 'registry.acme.example/acme/identity-api', first_seen_at from artifact_repository"
                + " where repository = 'registry.acme.example/acme/ledger-service'");
        jdbc.update("delete from artifact_repository where artifact_id = (select min(artifact_id) from artifact_repository"
                + " where repository = 'registry.acme.example/platform/assay')");

        List<FigureScope> scopes = new java.util.ArrayList<>(List.of(FigureScope.organisation()));
        catalog.teams().forEach(t -> scopes.add(FigureScope.ofTeam(t.name())));
        catalog.services().forEach(s -> {
            scopes.add(FigureScope.ofService(s.name()));
            if (s.owningTeam() != null) {
                scopes.add(new FigureScope(s.owningTeam(), s.name()));
            }
        });
        assertThat(scopes).hasSizeGreaterThan(20);
        for (Duration window : List.of(Duration.ofDays(1), Duration.ofDays(30), Duration.ofDays(3650))) {
            Map<FigureScope, CoverageFigures> bulk = figures.coverageByScope(window, scopes);
            for (FigureScope scope : scopes) {
                assertThat(bulk.get(scope)).as(scope + " " + window).isEqualTo(figures.coverage(window, scope.team(), scope.service()));
            }
        }
        assertThat(figures.coverageByScope(Duration.ofDays(30), List.of(FigureScope.organisation())).get(FigureScope.organisation())
                .sbom().denominator()).as("the artifact of no repository still counts for the organisation").isEqualTo(7);
    }
}

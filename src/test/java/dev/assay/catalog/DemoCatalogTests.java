package dev.assay.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import dev.assay.AssayIntegrationTest;
import dev.assay.DatabaseCleaner;
import dev.assay.collect.CollectionLauncher;
import dev.assay.collect.CollectionRuns;
import dev.assay.collect.JobExecutions;
import dev.assay.collect.JobStatus;
import dev.assay.collect.Quarantine;
import dev.assay.common.PageRequest;

/**
 * The demo organisation in batch-jobs/demo, imported by the real job from the default sources file:
 * what a newcomer sees after {@code mvn spring-boot:run}. The figures are those batch-jobs/demo/README.md states.
 */
@AssayIntegrationTest
@TestPropertySource(properties = "assay.sources-file=batch-jobs/sources.yml")
class DemoCatalogTests {

    @Autowired CollectionLauncher launcher;
    @Autowired JobExecutions executions;
    @Autowired Catalog catalog;
    @Autowired Quarantine quarantine;
    @Autowired DataSource dataSource;

    @BeforeEach
    void cleanDatabase() {
        new DatabaseCleaner(dataSource).cleanAll();
    }

    @Test
    void theDemoCatalogIsImportedWithItsOneDeliberateMistakeQuarantined() {
        JobStatus run = CollectionRuns.collectAndWait(launcher, executions, "demo-catalog");

        assertThat(run.status()).isEqualTo("COMPLETED");
        assertThat(catalog.teams()).hasSize(8);
        assertThat(catalog.services()).hasSize(41);
        assertThat(catalog.services().stream().filter(s -> Integer.valueOf(1).equals(s.tier()))).hasSize(12);
        var rejected = quarantine.list("demo-catalog", Quarantine.OPEN, PageRequest.of(0, 10)).items();
        assertThat(rejected).singleElement().satisfies(r -> {
            assertThat(r.location()).isEqualTo("demo/catalog/broken-component.yaml#2");
            assertThat(r.reason()).isEqualTo("Component has no metadata.name");
        });
        // 36 operated services (41 less 5 libraries). Not owned: sftp-file-gateway (owner legacy-ops is
        // no team and its repository has no CODEOWNERS), reporting-api, data-quality-monitor and
        // promo-engine (no escalation). batch-job-scheduler is owned by platform through CODEOWNERS.
        assertThat(catalog.ownershipCoverage(null, null)).isEqualTo(new Ratio(32, 36));
        assertThat(catalog.service("batch-job-scheduler").orElseThrow().service().owningTeam()).isEqualTo("platform");
        assertThat(catalog.service("batch-job-scheduler").orElseThrow().service().ownerEvidence()).isEqualTo("codeowners");
    }
}

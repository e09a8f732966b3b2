package dev.assay.playbooks;

import static org.assertj.core.api.Assertions.assertThat;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

import dev.assay.DatabaseCleaner;
import dev.assay.collect.CollectionLauncher;
import dev.assay.collect.CollectionRuns;
import dev.assay.collect.JobExecutions;
import dev.assay.collect.JobStatus;

/** Test helper: a clean database with the playbooks test catalog and runbooks imported through the real jobs. */
final class PlaybookFixtures {

    static final String NOW = "2026-03-01T09:00:00Z";

    private PlaybookFixtures() {
    }

    static void cleanAndImport(DataSource dataSource, CollectionLauncher launcher, JobExecutions executions,
            MutableClock clock) {
        new DatabaseCleaner(dataSource).cleanAll();
        clock.set(NOW);
        assertThat(collect(launcher, executions, clock, "playbooks-catalog").status()).isEqualTo("COMPLETED");
        assertThat(collect(launcher, executions, clock, "playbooks-runbooks").status()).isEqualTo("COMPLETED");
    }

    /**
     * Collects a source. A collection's identifying job parameter is its launch time from the
     * application clock: with a frozen test clock two launches would be the same job instance, so
     * the clock moves on a second first.
     */
    static JobStatus collect(CollectionLauncher launcher, JobExecutions executions, MutableClock clock, String sourceId) {
        clock.advanceSeconds(1);
        return CollectionRuns.collectAndWait(launcher, executions, sourceId);
    }

    static long runbookId(JdbcTemplate jdbc, String slug) {
        return jdbc.queryForObject("select id from runbook where slug = ?", Long.class, slug);
    }
}

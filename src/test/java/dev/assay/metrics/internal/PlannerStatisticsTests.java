package dev.assay.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import javax.sql.DataSource;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.assay.AssayIntegrationTest;
import dev.assay.DatabaseCleaner;

/**
 * The rollup job's first step: on PostgreSQL the planner's row estimate of a table is its real size
 * afterwards (the full suite's run); on H2 nothing is done.
 */
@AssayIntegrationTest
class PlannerStatisticsTests {

    @Autowired PlannerStatistics statistics;
    @Autowired DSLContext db;
    @Autowired DataSource dataSource;

    @Test
    void analysesPostgresTablesAndLeavesH2Alone() {
        new DatabaseCleaner(dataSource).cleanAll();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        for (int i = 0; i < 7; i++) {
            jdbc.update("insert into team (name, title, created_at, updated_at) values (?, ?, current_timestamp, current_timestamp)",
                    "stats-team-" + i, "Team " + i);
        }
        boolean postgres = db.dialect().family() == SQLDialect.POSTGRES;

        assertThat(statistics.refresh()).isEqualTo(postgres);

        if (postgres) {
            assertThat(jdbc.queryForObject("select reltuples from pg_class where relname = 'team'", Double.class)).isEqualTo(7.0);
        }
    }
}

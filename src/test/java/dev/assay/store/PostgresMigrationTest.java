package dev.assay.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.assay.AssayApplication;

/**
 * The production store: the application, started with the {@code postgres} profile on a fresh
 * PostgreSQL database, migrates it with every migration — the shared ones in {@code sql/} and
 * the PostgreSQL-only ones in {@code sql/postgresql/} — and the result behaves as designed.
 *
 * <p>Needs PostgreSQL at 127.0.0.1:5432 with a {@code postgres} user that may create databases
 * (DESIGN §7); part of the full suite ({@code mvn -Pfull verify}). An unreachable server fails the
 * test: it is never skipped.
 */
@Tag("postgres")
class PostgresMigrationTest {

    static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    static final String USER = "postgres";
    static final Pattern MIGRATION_FILE = Pattern.compile("V(\\d+)__.*\\.sql");
    static final List<String> BATCH_TABLES = List.of("batch_job_instance", "batch_job_execution",
            "batch_job_execution_params", "batch_job_execution_context", "batch_step_execution",
            "batch_step_execution_context");

    static String database;
    static ConfigurableApplicationContext app;
    static JdbcTemplate jdbc;

    @BeforeAll
    static void startOnAFreshDatabase() throws SQLException {
        database = "assay_pgtest_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection admin = DriverManager.getConnection(SERVER + "postgres", USER, "");
                Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        app = new SpringApplicationBuilder(AssayApplication.class).run(
                "--spring.profiles.active=postgres",
                "--spring.datasource.url=" + SERVER + database,
                "--spring.datasource.username=" + USER,
                "--spring.datasource.password=",
                "--server.port=0",
                "--assay.collect.collect-on-first-start=false",
                "--assay.admin-password=pg-migration-admin-1");
        jdbc = new JdbcTemplate(app.getBean(javax.sql.DataSource.class));
    }

    @AfterAll
    static void dropTheDatabase() throws SQLException {
        try {
            if (app != null) {
                app.close();
            }
        } finally {
            if (database != null) {
                try (Connection admin = DriverManager.getConnection(SERVER + "postgres", USER, "");
                        Statement statement = admin.createStatement()) {
                    statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
                }
            }
        }
    }

    @Test
    void runsOnPostgresql() {
        assertThat(jdbc.queryForObject("select version()", String.class)).startsWith("PostgreSQL");
        assertThat(jdbc.queryForObject("select current_database()", String.class)).isEqualTo(database);
    }

    @Test
    void appliesEveryMigrationIncludingThePostgresqlOnlyOnes() throws IOException {
        Set<Integer> shipped = versions("classpath:db/migration/*.sql");
        Set<Integer> postgresOnly = versions("classpath:db/vendor/postgresql/*.sql");
        assertThat(postgresOnly).as("PostgreSQL-only migrations shipped in db/vendor/postgresql").contains(5);
        shipped.addAll(postgresOnly);

        Flyway flyway = app.getBean(Flyway.class);
        MigrationInfo[] applied = flyway.info().applied();
        assertThat(flyway.info().pending()).as("pending migrations").isEmpty();
        assertThat(applied).allSatisfy(m -> assertThat(m.getState().isFailed()).as(m.getScript()).isFalse());
        assertThat(Arrays.stream(applied).map(m -> Integer.valueOf(m.getVersion().getVersion())))
                .containsExactlyInAnyOrderElementsOf(shipped);
        assertThat(Arrays.stream(applied).filter(m -> m.getVersion().getVersion().equals("5")).findFirst().orElseThrow()
                .getScript()).isEqualTo("V5__audit_log_append_only.sql");
        assertThat(jdbc.queryForObject("select count(*) from flyway_schema_history where not success", Integer.class))
                .isZero();
    }

    @Test
    void auditLogIsAppendOnly() {
        jdbc.update("insert into audit_log (occurred_at, actor, action, entity_type, entity_id, after_state)"
                + " values (now(), 'test', 'test.append-only', 'test', ?, '{}')", database);
        Long id = jdbc.queryForObject("select id from audit_log where action = 'test.append-only'", Long.class);

        assertThatThrownBy(() -> jdbc.update("update audit_log set actor = 'someone else' where id = ?", id))
                .isInstanceOf(DataAccessException.class)
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.update("delete from audit_log where id = ?", id))
                .isInstanceOf(DataAccessException.class)
                .hasMessageContaining("append-only");
        assertThat(jdbc.queryForObject("select actor from audit_log where id = ?", String.class, id)).isEqualTo("test");
    }

    @Test
    void createsTheSpringBatchTables() {
        List<String> tables = jdbc.queryForList("select table_name from information_schema.tables"
                + " where table_schema = current_schema() and table_type = 'BASE TABLE'", String.class);
        assertThat(tables).containsAll(BATCH_TABLES);
        List<String> sequences = jdbc.queryForList("select sequence_name from information_schema.sequences"
                + " where sequence_schema = current_schema()", String.class);
        assertThat(sequences).contains("batch_job_instance_seq", "batch_job_execution_seq", "batch_step_execution_seq");
        assertThat(jdbc.queryForObject("select count(*) from batch_job_instance", Integer.class)).isZero();
    }

    private static Set<Integer> versions(String pattern) throws IOException {
        Set<Integer> versions = new TreeSet<>();
        for (Resource resource : new PathMatchingResourcePatternResolver().getResources(pattern)) {
            Matcher name = MIGRATION_FILE.matcher(String.valueOf(resource.getFilename()));
            assertThat(name.matches()).as("migration file name " + resource.getFilename()).isTrue();
            versions.add(Integer.valueOf(name.group(1)));
        }
        assertThat(versions).as("migrations at " + pattern).isNotEmpty();
        return versions;
    }
}

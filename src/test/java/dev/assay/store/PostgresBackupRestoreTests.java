package dev.assay.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import tools.jackson.databind.JsonNode;

/**
 * The PostgreSQL backup and restore of docs/operations.md, with the real client programs: while Assay
 * runs on {@value #SOURCE} (the demo organisation collected and rolled up), {@code pg_dump -Fc} writes
 * the database; {@code pg_restore} loads it into the fresh database {@value #RESTORED}; every table has
 * the same number of rows, Assay started there answers every figure and list exactly as the original
 * does, the append-only trigger of the audit log came along, and the next collection goes on from the
 * restored cursors.
 * <p>
 * Tag {@code postgres} (CI step d). Needs PostgreSQL at 127.0.0.1:5432 with a {@code postgres} user that
 * may create databases, and {@code pg_dump} / {@code pg_restore} (Debian's postgresql-client) on the
 * PATH; it fails, never skips, without them. Both databases are dropped and made anew at the start.
 */
@Tag("postgres")
class PostgresBackupRestoreTests extends BackupRestoreSupport {

    static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    static final String USER = "postgres";
    static final String SOURCE = "assay_backup_source";
    static final String RESTORED = "assay_backup_restored";

    @Test
    void aDumpTakenWhileAssayRunsRestoresIntoAFreshDatabaseWithTheSameFigures(@TempDir Path dir) throws Exception {
        recreate(SOURCE);
        dropIfExists(RESTORED);
        Path dump = dir.resolve("assay.dump");
        try (ConfigurableApplicationContext original = startOn(SOURCE)) {
            collectDemoAndRollUp(original);
            Map<String, JsonNode> before = figures(original);
            Map<String, Long> rows = rowCounts(original.getBean(DataSource.class));
            assertPopulated(rows);

            // Online: Assay keeps running while pg_dump reads one consistent snapshot.
            run(dir, "pg_dump", "-Fc", "-h", "127.0.0.1", "-U", USER, "-f", dump.toString(), SOURCE);
            assertThat(Files.size(dump)).isPositive();
            recreate(RESTORED);
            run(dir, "pg_restore", "-h", "127.0.0.1", "-U", USER, "-d", RESTORED, "--exit-on-error", "--no-owner",
                    dump.toString());

            try (Connection connection = DriverManager.getConnection(SERVER + RESTORED, USER, "")) {
                assertThat(rowCounts(connection)).isEqualTo(rows);
            }
            try (ConfigurableApplicationContext restored = startOn(RESTORED)) {
                assertThat(figures(restored)).isEqualTo(before);
                System.out.println("Restored figures equal the original ones: " + summary(before) + "; rows " + rows);
                assertThat(figures(original)).isEqualTo(before);
                JdbcTemplate jdbc = new JdbcTemplate(restored.getBean(DataSource.class));
                assertThatThrownBy(() -> jdbc.update("delete from audit_log")).hasMessageContaining("audit_log is append-only");
                assertThat(collect(restored, "demo-pagerduty").status()).isEqualTo("COMPLETED");
                assertThat(jdbc.queryForObject("select count(*) from incident", Long.class)).isEqualTo(rows.get("incident"));
            }
        }
    }

    private static ConfigurableApplicationContext startOn(String database) {
        return startAssay("--spring.profiles.active=postgres", "--spring.datasource.url=" + SERVER + database,
                "--spring.datasource.username=" + USER, "--spring.datasource.password=");
    }

    private static void run(Path dir, String... command) throws Exception {
        Path output = dir.resolve(command[0] + ".log");
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertThat(process.waitFor(300, TimeUnit.SECONDS)).as(command[0] + " finished").isTrue();
        assertThat(process.exitValue()).as(command[0] + ": " + Files.readString(output)).isZero();
    }

    private static void recreate(String database) throws Exception {
        dropIfExists(database);
        admin("CREATE DATABASE " + database);
    }

    private static void dropIfExists(String database) throws Exception {
        admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    private static void admin(String sql) throws Exception {
        try (Connection admin = DriverManager.getConnection(SERVER + "postgres", USER, "");
                Statement statement = admin.createStatement()) {
            statement.execute(sql);
        }
    }
}

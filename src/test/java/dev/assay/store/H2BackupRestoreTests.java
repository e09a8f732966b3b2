package dev.assay.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;

import javax.sql.DataSource;

import org.h2.tools.RunScript;
import org.h2.tools.Script;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import tools.jackson.databind.JsonNode;

/**
 * The H2 backup and restore of docs/operations.md, as an operator runs it: Assay (on an H2 file
 * database in its data folder, with the demo organisation collected and rolled up) is stopped; H2's
 * own {@code Script} tool writes the database to a compressed SQL script; {@code RunScript} loads it
 * into an empty folder; Assay started on that folder answers every figure and list exactly as before,
 * every table has the same number of rows, and the next collection goes on from the restored cursors.
 * <p>
 * The tools are called as their command lines are ({@code runTool} takes the same arguments), with the
 * H2 version Assay ships.
 */
class H2BackupRestoreTests extends BackupRestoreSupport {

    @Test
    void aScriptBackupRestoredIntoAnEmptyFolderGivesTheSameFigures(@TempDir Path dir) throws Exception {
        Path original = dir.resolve("data");
        Path restored = dir.resolve("restored");
        Path backup = dir.resolve("assay-backup.zip");
        Map<String, JsonNode> before;
        try (ConfigurableApplicationContext app = startAssay("--assay.data-dir=" + original)) {
            collectDemoAndRollUp(app);
            before = figures(app);
        }
        Map<String, Long> rows = rowCounts(original);
        assertPopulated(rows);

        new Script().runTool("-url", url(original), "-user", "sa", "-script", backup.toString(), "-options", "compression", "zip");
        assertThat(Files.size(backup)).isPositive();
        new RunScript().runTool("-url", url(restored), "-user", "sa", "-script", backup.toString(), "-options", "compression",
                "zip");

        assertThat(rowCounts(restored)).isEqualTo(rows);
        try (ConfigurableApplicationContext app = startAssay("--assay.data-dir=" + restored)) {
            assertThat(figures(app)).isEqualTo(before);
            System.out.println("Restored figures equal the original ones: " + summary(before) + "; rows " + rows);
            // Collection goes on where the backup left it: cursors, sequences and the job repository came along.
            assertThat(collect(app, "demo-pagerduty").status()).isEqualTo("COMPLETED");
            assertThat(rowCounts(app.getBean(DataSource.class)).get("incident")).isEqualTo(rows.get("incident"));
        }
    }

    /** The URL Assay opens {@code <data dir>/assay} with (application.yml). */
    private static String url(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.resolve("assay") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    }

    private static Map<String, Long> rowCounts(Path dataDir) throws Exception {
        try (Connection connection = DriverManager.getConnection(url(dataDir), "sa", "")) {
            return rowCounts(connection);
        }
    }
}

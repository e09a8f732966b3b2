package dev.assay.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import dev.assay.AssayApplication;
import dev.assay.collect.CollectionLauncher;
import dev.assay.collect.CollectionRuns;
import dev.assay.collect.JobExecutions;
import dev.assay.collect.JobStatus;
import dev.assay.metrics.MetricsRollupRunner;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the backup tests share: Assay started in the test JVM (a real server on a free port), the demo
 * organisation collected by the real jobs and rolled up, the figures read through the API, and the
 * row count of every table.
 */
abstract class BackupRestoreSupport {

    static final String ADMIN_TOKEN = "backup-test-admin-token-0123456789abcdef";
    /** batch-jobs/sources.yml, the catalog first. */
    static final List<String> DEMO_SOURCES = List.of("demo-catalog", "demo-runbooks", "demo-pagerduty", "demo-jira",
            "demo-artifacts", "demo-github", "demo-gitlab", "demo-jenkins");
    /** What the dashboard and the API's users see: every metric, and the lists with their totals. */
    static final List<String> FIGURES = List.of("/api/v1/metrics/mttd?window=P90D", "/api/v1/metrics/mtta?window=P90D",
            "/api/v1/metrics/mttr?window=P90D", "/api/v1/metrics/time-to-remediate?window=P90D",
            "/api/v1/metrics/signed-coverage?window=P30D", "/api/v1/metrics/scanned-coverage?window=P30D",
            "/api/v1/metrics/sbom-coverage?window=P30D", "/api/v1/metrics/sla-compliance?window=P90D",
            "/api/v1/metrics/ownership-coverage?window=P30D", "/api/v1/metrics/drill-coverage?window=P90D",
            "/api/v1/services?size=500", "/api/v1/teams?size=500", "/api/v1/incidents?size=500&window=P90D",
            "/api/v1/findings?size=500", "/api/v1/artifacts?size=500", "/api/v1/pipeline-runs?size=500",
            "/api/v1/runbooks?size=500", "/api/v1/quarantine?size=500");

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Assay with nothing scheduled (the test collects and rolls up itself), plus the given arguments. */
    static ConfigurableApplicationContext startAssay(String... arguments) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
                "--assay.sources-file=batch-jobs/sources.yml", "--assay.collect.collect-on-first-start=false",
                "--assay.collect.schedules-enabled=false", "--assay.metrics.scheduling-enabled=false",
                "--assay.findings.policy-checks-scheduled=false", "--assay.admin-password=backup-admin-password-1",
                "--assay.admin-token=" + ADMIN_TOKEN));
        args.addAll(List.of(arguments));
        return new SpringApplicationBuilder(AssayApplication.class).run(args.toArray(String[]::new));
    }

    /** Every demo source collected by its real job, then the metrics rollup. */
    static void collectDemoAndRollUp(ConfigurableApplicationContext app) {
        CollectionLauncher launcher = app.getBean(CollectionLauncher.class);
        JobExecutions executions = app.getBean(JobExecutions.class);
        for (String source : DEMO_SOURCES) {
            assertThat(CollectionRuns.collectAndWait(launcher, executions, source).status()).as(source).isEqualTo("COMPLETED");
        }
        JobStatus rollup = CollectionRuns.waitFor(executions, app.getBean(MetricsRollupRunner.class).launch("backup test"));
        assertThat(rollup.status()).isEqualTo("COMPLETED");
    }

    static JobStatus collect(ConfigurableApplicationContext app, String source) {
        return CollectionRuns.collectAndWait(app.getBean(CollectionLauncher.class), app.getBean(JobExecutions.class), source);
    }

    /** The answers of {@link #FIGURES}, each a 200. */
    static Map<String, JsonNode> figures(ConfigurableApplicationContext app) throws Exception {
        String base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
        Map<String, JsonNode> answers = new TreeMap<>();
        for (String path : FIGURES) {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Authorization", "Bearer " + ADMIN_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(200);
            answers.put(path, withoutTimeOfAsking(JSON.readTree(answer.body())));
        }
        return answers;
    }

    /**
     * An answer without the fields that say when it was asked ({@code from} / {@code to} of a window
     * ending now, at any depth, and {@code as_of}): everything else must be equal, to the last digit.
     */
    static JsonNode withoutTimeOfAsking(JsonNode answer) {
        JsonNode copy = answer.deepCopy();
        removeTimeOfAsking(copy);
        return copy;
    }

    private static void removeTimeOfAsking(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove(List.of("from", "to", "as_of"));
        }
        for (JsonNode child : node) {
            removeTimeOfAsking(child);
        }
    }

    /** The number of rows of every table of the current schema (Flyway's history and Spring Batch's included). */
    static Map<String, Long> rowCounts(Connection connection) throws SQLException {
        JdbcTemplate jdbc = new JdbcTemplate(new SingleConnectionDataSource(connection, true));
        List<String> tables = jdbc.queryForList("select table_name from information_schema.tables"
                + " where table_schema = current_schema() and table_type = 'BASE TABLE'", String.class);
        Map<String, Long> counts = new TreeMap<>();
        for (String table : tables) {
            counts.put(table, jdbc.queryForObject("select count(*) from \"" + table + "\"", Long.class));
        }
        return counts;
    }

    static Map<String, Long> rowCounts(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return rowCounts(connection);
        }
    }

    /** The totals and sample sizes of the answers, for the test's output (docs/operations.md quotes them). */
    static String summary(Map<String, JsonNode> figures) {
        StringBuilder text = new StringBuilder();
        figures.forEach((path, answer) -> {
            JsonNode figure = answer.has("total") ? answer.get("total") : answer.has("n") ? answer.get("n") : answer.get("ratio");
            text.append(path.replaceAll("\\?.*", "")).append('=').append(figure).append(' ');
        });
        return text.toString().trim();
    }

    /** The populated tables a backup must carry (a dataset worth restoring, not an empty schema). */
    static void assertPopulated(Map<String, Long> counts) {
        Stream.of("service", "team", "incident", "finding", "artifact", "pipeline_run", "runbook", "metric_daily",
                "audit_log", "batch_job_execution", "flyway_schema_history")
                .forEach(table -> assertThat(counts.get(table)).as(table).isPositive());
    }
}

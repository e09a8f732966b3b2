package dev.assay.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

import dev.assay.collect.CollectionLauncher;
import dev.assay.collect.CollectionRuns;
import dev.assay.collect.JobExecutions;
import dev.assay.collect.JobStatus;
import dev.assay.findings.FindingsIntake;
import dev.assay.playbooks.MutableClock;
import tools.jackson.databind.JsonNode;

/**
 * The figures read from the rollups equal those {@code /api/v1/metrics/*} computes from the facts,
 * for every configured window, the organisation, each team and a service, on the generated dataset
 * of {@link MetricsTestData}; and the rollup job is idempotent.
 */
@MetricsIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RollupEqualsApiTests {

    static final List<String> RATIOS = List.of(MetricNames.SIGNED_COVERAGE, MetricNames.SCANNED_COVERAGE,
            MetricNames.SBOM_COVERAGE, MetricNames.PROVENANCE_COVERAGE, MetricNames.SLA_COMPLIANCE,
            MetricNames.OWNERSHIP_COVERAGE, MetricNames.DRILL_COVERAGE, MetricNames.RUNBOOK_FRESHNESS);
    /** team, service: the organisation, each team, a service, and a team with a service it owns. */
    static final List<String[]> SCOPES = List.of(new String[] {null, null}, new String[] {"checkout", null},
            new String[] {"ledger", null}, new String[] {null, "checkout-web"}, new String[] {null, "orphan-service"},
            new String[] {"checkout", "checkout-api"});

    @Autowired MockMvc mvc;
    @Autowired DataSource dataSource;
    @Autowired CollectionLauncher launcher;
    @Autowired JobExecutions executions;
    @Autowired FindingsIntake intake;
    @Autowired MutableClock clock;
    @Autowired MetricsRollupRunner runner;
    @Autowired MetricRollups rollups;
    @Autowired MetricsSettings settings;

    @BeforeAll
    void dataset() throws Exception {
        clock.set(MetricsTestData.NOW);
        MetricsTestData.build(dataSource, launcher, executions, mvc, intake);
        assertThat(CollectionRuns.waitFor(executions, runner.launch("test")).status()).isEqualTo("COMPLETED");
    }

    @Test
    void theDatasetIsWhatTheTestsAssume() throws Exception {
        JsonNode mttr = api("mttr", "P90D", null, null);
        assertThat(mttr.get("n").asInt()).isBetween(100, 130);
        assertThat(api("mtta", "P90D", null, null).get("excluded").asInt()).isPositive();
        assertThat(api("mttd", "P90D", null, null).get("excluded").asInt()).isPositive();
        assertThat(api("sla-compliance", "P90D", null, null).get("denominator").asLong()).isPositive();
        assertThat(api("time-to-remediate", "P90D", null, null).get("n").asInt()).isPositive();
    }

    @Test
    void incidentDurationsFromSamplesEqualTheApi() throws Exception {
        for (String window : settings.windows()) {
            for (String[] scope : SCOPES) {
                for (String metric : MetricNames.INCIDENT_DURATIONS) {
                    JsonNode api = api(metric, window, scope[0], scope[1]);
                    RolledDuration rolled = rollups.incidentDuration(metric, window, scope[0], scope[1]);
                    String where = metric + " " + window + " " + Arrays.toString(scope);
                    assertThat(rolled.n()).as(where).isEqualTo(api.get("n").asInt());
                    assertThat(rolled.excluded()).as(where).isEqualTo(api.get("excluded").asInt());
                    assertThat(rolled.medianSeconds()).as(where).isEqualTo(number(api.get("median_s")));
                    assertThat(rolled.p90Seconds()).as(where).isEqualTo(number(api.get("p90_s")));
                    assertThat(rolled.meanSeconds()).as(where).isEqualTo(number(api.get("mean_s")));
                    JsonNode ci = api.get("median_ci90_s");
                    assertThat(rolled.ci90LowSeconds()).as(where).isEqualTo(ci.isNull() ? null : ci.get(0).asDouble());
                    assertThat(rolled.ci90HighSeconds()).as(where).isEqualTo(ci.isNull() ? null : ci.get(1).asDouble());
                    assertThat(rolled.comparison().label()).as(where).isEqualTo(api.get("comparison").get("label").asString());
                }
            }
        }
    }

    @Test
    void theLastWeekOfEachTrendIsTheSevenDayMedianOfTheApi() throws Exception {
        for (String[] scope : SCOPES) {
            for (String metric : MetricNames.INCIDENT_DURATIONS) {
                List<MetricRollups.TrendPoint> points = rollups.trend(metric, "P7D", scope[0], scope[1], 12);
                String where = metric + " " + Arrays.toString(scope);
                assertThat(points).as(where).hasSize(12);
                assertThat(points.get(11).end()).as(where).isEqualTo(MetricsTestData.NOW.atOffset(java.time.ZoneOffset.UTC).toLocalDate());
                assertThat(points.get(11).value()).as(where).isEqualTo(number(api(metric, "P7D", scope[0], scope[1]).get("median_s")));
            }
        }
    }

    @Test
    void storedRatiosEqualTheApi() throws Exception {
        for (String window : settings.windows()) {
            for (String[] scope : SCOPES) {
                for (String metric : RATIOS) {
                    JsonNode api = api(metric, window, scope[0], scope[1]);
                    RolledRatio rolled = rollups.ratio(metric, window, scope[0], scope[1]).orElseThrow();
                    String where = metric + " " + window + " " + Arrays.toString(scope);
                    assertThat(rolled.numerator()).as(where).isEqualTo(api.get("numerator").asLong());
                    assertThat(rolled.denominator()).as(where).isEqualTo(api.get("denominator").asLong());
                }
                JsonNode api = api("time-to-remediate", window, scope[0], scope[1]);
                RolledDuration rolled = rollups.remediation(window, scope[0], scope[1]).orElseThrow();
                assertThat(rolled.n()).isEqualTo(api.get("n").asInt());
                assertThat(rolled.excluded()).isEqualTo(api.get("excluded").asInt());
                assertThat(rolled.medianSeconds()).isEqualTo(number(api.get("median_s")));
                assertThat(rolled.p90Seconds()).isEqualTo(number(api.get("p90_s")));
                assertThat(rolled.meanSeconds()).isEqualTo(number(api.get("mean_s")));
            }
        }
    }

    @Test
    void theJobIsIdempotentAndWritesOneRowPerDayScopeWindowAndMetric() {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        List<Map<String, Object>> daily = jdbc.queryForList("SELECT * FROM metric_daily ORDER BY rollup_day, metric, time_window, team, service");
        List<Map<String, Object>> samples = jdbc.queryForList("SELECT * FROM metric_sample ORDER BY metric, subject_id, service");
        List<Map<String, Object>> weeks = jdbc.queryForList("SELECT * FROM metric_week ORDER BY metric, team, week_end");
        // Today: 3 windows x (organisation + 2 teams + 4 services) x (11 ratios and counts + MTTD, MTTA, MTTR);
        // the 11 weeks before: the same scopes and windows x the 9 backfilled metrics (BackfillTests).
        assertThat(daily).filteredOn(r -> String.valueOf(r.get("rollup_day")).equals("2026-03-01"))
                .hasSize(3 * 7 * 14);
        assertThat(daily).hasSize(3 * 7 * 14 + 11 * 3 * 7 * 9);
        assertThat(samples).isNotEmpty();
        // 12 weeks x MTTD, MTTA, MTTR x (organisation + 2 teams)
        assertThat(weeks).hasSize(12 * 3 * 3);
        assertThat(CollectionRuns.waitFor(executions, runner.launch("again")).status()).isEqualTo("COMPLETED");
        assertThat(jdbc.queryForList("SELECT * FROM metric_daily ORDER BY rollup_day, metric, time_window, team, service"))
                .isEqualTo(daily);
        assertThat(jdbc.queryForList("SELECT * FROM metric_sample ORDER BY metric, subject_id, service")).isEqualTo(samples);
        assertThat(jdbc.queryForList("SELECT * FROM metric_week ORDER BY metric, team, week_end")).isEqualTo(weeks);
    }

    @Test
    void aRunWritesNothingWhileAnotherInstanceHoldsTheRollupLock() throws Exception {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        JobStatus skipped;
        // Another instance's rollup: a transaction holding the lock row.
        try (java.sql.Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (var statement = other.createStatement();
                    var held = statement.executeQuery("SELECT name FROM metric_rollup_lock FOR UPDATE")) {
                assertThat(held.next()).isTrue();
                skipped = CollectionRuns.waitFor(executions, runner.launch("while locked"));
            } finally {
                other.rollback();
            }
        }
        assertThat(skipped.status()).isEqualTo("COMPLETED");
        assertThat(skipped.exitCode()).isEqualTo("NOOP");
        assertThat(skipped.exitMessage()).contains("another instance is writing the rollups");
        assertThat(skipped.written()).isZero();
        JobStatus ran = CollectionRuns.waitFor(executions, runner.launch("unlocked"));
        assertThat(ran.exitCode()).isEqualTo("COMPLETED");
        // The past weeks were backfilled by the first run: this one writes today's rows only.
        assertThat(ran.written()).isEqualTo(jdbc.queryForObject(
                "SELECT COUNT(*) FROM metric_daily WHERE rollup_day = (SELECT MAX(rollup_day) FROM metric_daily)", Long.class)
                + jdbc.queryForObject("SELECT COUNT(*) FROM metric_sample", Long.class));
    }

    @Test
    void aRollupFollowsEachFinishedCollectionAndOnlyThen() {
        CollectionRuns.waitFor(executions, runner.launch("settle"));
        assertThat(runner.launchIfCollected()).as("no collection finished since the last rollup").isEmpty();
        assertThat(CollectionRuns.collectAndWait(launcher, executions, "metrics-catalog").status()).isEqualTo("COMPLETED");
        long rollup = runner.launchIfCollected().orElseThrow();
        assertThat(CollectionRuns.waitFor(executions, rollup).jobName()).isEqualTo(MetricsRollupRunner.JOB_NAME);
        assertThat(runner.launchIfCollected()).isEmpty();
    }

    @Test
    void prometheusExposesTheHeadlineFiguresPerTeam() throws Exception {
        String scrape = mvc.perform(get("/actuator/prometheus").with(user("ops").roles("ADMIN")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        JsonNode sla = api("sla-compliance", "P30D", "checkout", null);
        JsonNode mttr = api("mttr", "P30D", null, null);
        assertThat(scrape).contains("assay_sla_compliance_ratio{team=\"checkout\"} " + sla.get("ratio").asDouble())
                .contains("assay_mttr_median_seconds{team=\"(organisation)\"} " + mttr.get("median_s").asDouble())
                .contains("assay_ownership_coverage_ratio{team=\"ledger\"} ")
                .contains("assay_overdue_criticals{team=\"(organisation)\"} ");
    }

    private JsonNode api(String metric, String window, String team, String service) throws Exception {
        return MetricsTestData.api(mvc, metric, window, team, service);
    }

    private static Double number(JsonNode node) {
        return node == null || node.isNull() ? null : node.asDouble();
    }
}

package dev.assay.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

import dev.assay.artifacts.ArtifactFigures;
import dev.assay.artifacts.Fixtures;
import dev.assay.catalog.FigureScope;
import dev.assay.collect.CollectionLauncher;
import dev.assay.collect.CollectionRuns;
import dev.assay.collect.JobExecutions;
import dev.assay.collect.JobStatus;
import dev.assay.findings.FindingFigures;
import dev.assay.findings.FindingsIntake;
import dev.assay.findings.OpenCount;
import dev.assay.findings.Severity;
import dev.assay.playbooks.Drills;
import dev.assay.playbooks.MutableClock;
import dev.assay.playbooks.Runbooks;
import tools.jackson.databind.JsonNode;

/**
 * The rollup's backfill of the ratio trends (docs/metrics.md, "Backfill"), on the generated dataset
 * of {@link MetricsTestData} (findings first seen and fixed over 180 days) plus artifacts, SBOMs and
 * signatures recorded at different times of the last 60 days and a drill finished 30 days ago: after
 * one run each of the 11 weeks before today holds, for every backfilled metric, window and scope, the
 * figure {@code /api/v1/metrics} (or the figure service) gives with the clock set to the end of that
 * week's day; a second run writes nothing for the past; ownership coverage and runbook freshness,
 * which have no history, stay empty.
 */
@MetricsIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackfillTests {

    static final String REPOSITORY = "registry.example.com/acme/checkout-api";
    /** Days before NOW at which each artifact was first seen (its SBOM pushed then). */
    static final int[] ARTIFACT_DAYS = {3, 17, 31, 45, 59};
    static final LocalDate TODAY = LocalDate.of(2026, 3, 1);
    static final List<String> API_METRICS = List.of(MetricNames.SIGNED_COVERAGE, MetricNames.SCANNED_COVERAGE,
            MetricNames.SBOM_COVERAGE, MetricNames.PROVENANCE_COVERAGE, MetricNames.SLA_COMPLIANCE,
            MetricNames.DRILL_COVERAGE);

    @Autowired MockMvc mvc;
    @Autowired DataSource dataSource;
    @Autowired CollectionLauncher launcher;
    @Autowired JobExecutions executions;
    @Autowired FindingsIntake intake;
    @Autowired MutableClock clock;
    @Autowired MetricsRollupRunner runner;
    @Autowired MetricRollups rollups;
    @Autowired MetricsSettings settings;
    @Autowired ArtifactFigures artifactFigures;
    @Autowired FindingFigures findingFigures;
    @Autowired Runbooks runbooks;
    @Autowired Drills drills;

    private JobStatus firstRun;

    @BeforeAll
    void dataset() throws Exception {
        clock.set(MetricsTestData.NOW);
        MetricsTestData.build(dataSource, launcher, executions, mvc, intake);
        for (int i = 0; i < ARTIFACT_DAYS.length; i++) {
            String artifact = REPOSITORY + "@sha256:" + String.valueOf((char) ('1' + i)).repeat(64);
            clock.set(MetricsTestData.NOW.minus(Duration.ofDays(ARTIFACT_DAYS[i])));
            push("sbom", artifact, MediaType.APPLICATION_JSON_VALUE, Fixtures.bytes("sbom/cyclonedx-1.6-spec-valid-bom.cdx.json"));
            if (i % 2 == 1) {
                // A signature that does not verify (not this digest's), recorded five days after the artifact.
                clock.advance(Duration.ofDays(5));
                push("signature", artifact, "application/octet-stream",
                        Fixtures.bytes("interop/cosign-key-simplesigning/signature-1"));
            }
        }
        clock.set(MetricsTestData.NOW.minus(Duration.ofDays(80)));
        long runbook = runbooks.create("---\nrunbook: checkout-outage\ntitle: Checkout outage\nservices: [checkout-api]\n"
                + "---\n## Steps\n- [ ] Fail over the payment provider\n", null, "olive").id();
        clock.set(MetricsTestData.NOW.minus(Duration.ofDays(30)).minus(Duration.ofHours(1)));
        long drill = drills.plan(runbook, null, "tabletop", null, true, "sec");
        drills.startStep(drill, 1, "sec");
        clock.advance(Duration.ofHours(1));
        drills.completeStep(drill, 1, null, "sec");
        drills.finish(drill, "succeeded", null, "sec");
        clock.set(MetricsTestData.NOW);
        firstRun = CollectionRuns.waitFor(executions, runner.launch("first"));
        assertThat(firstRun.status()).isEqualTo("COMPLETED");
    }

    @AfterEach
    void resetClock() {
        clock.set(MetricsTestData.NOW);
    }

    @Test
    void eachBackfilledWeekEqualsTheApiWithTheClockAtTheEndOfThatDay() throws Exception {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        for (int k = 1; k <= 11; k++) {
            LocalDate day = TODAY.minusDays(7L * k);
            Instant asOf = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusNanos(1_000);
            clock.set(asOf);
            for (String window : settings.windows()) {
                for (String[] scope : RollupEqualsApiTests.SCOPES) {
                    String where = day + " " + window + " " + Arrays.toString(scope);
                    for (String metric : API_METRICS) {
                        JsonNode api = api(metric, window, scope[0], scope[1]);
                        RolledRatio rolled = rollups.ratioOnOrBefore(metric, window, scope[0], scope[1], day).orElseThrow();
                        assertThat(rolled.rollupDay()).as(where + " " + metric).isEqualTo(day);
                        assertThat(rolled.numerator()).as(where + " " + metric).isEqualTo(api.get("numerator").asLong());
                        assertThat(rolled.denominator()).as(where + " " + metric).isEqualTo(api.get("denominator").asLong());
                    }
                    FigureScope filter = new FigureScope(scope[0], scope[1]);
                    RolledRatio unverified = rollups.ratioOnOrBefore(MetricNames.SIGNED_UNVERIFIED, window, scope[0], scope[1], day)
                            .orElseThrow();
                    assertThat(unverified.rollupDay()).isEqualTo(day);
                    var coverage = artifactFigures.coverage(Duration.parse(window), scope[0], scope[1]);
                    assertThat(unverified.numerator()).as(where).isEqualTo(coverage.signedUnverified().numerator());
                    assertThat(unverified.denominator()).as(where).isEqualTo(coverage.signedUnverified().denominator());
                    RolledRatio overdue = rollups.ratioOnOrBefore(MetricNames.OVERDUE_CRITICALS, window, scope[0], scope[1], day)
                            .orElseThrow();
                    List<OpenCount> open = findingFigures.openCountsByScope(List.of(filter)).get(filter);
                    assertThat(overdue.numerator()).as(where).isEqualTo(open.stream()
                            .filter(c -> c.severity() == Severity.CRITICAL).mapToLong(OpenCount::overdue).sum());
                    assertThat(overdue.denominator()).as(where).isEqualTo(open.stream()
                            .filter(c -> c.severity() == Severity.CRITICAL).mapToLong(OpenCount::open).sum());
                    JsonNode api = api(MetricNames.TIME_TO_REMEDIATE, window, scope[0], scope[1]);
                    Map<String, Object> ttr = jdbc.queryForMap("SELECT n, excluded, median_s, p90_s, mean_s, computed_at FROM "
                            + "metric_daily WHERE rollup_day = ? AND metric = 'time-to-remediate' AND time_window = ? AND team = ? "
                            + "AND service = ?", java.sql.Date.valueOf(day), window, key(scope[0], scope[1], true),
                            key(scope[0], scope[1], false));
                    assertThat(((Number) ttr.get("n")).intValue()).as(where).isEqualTo(api.get("n").asInt());
                    assertThat(((Number) ttr.get("excluded")).intValue()).as(where).isEqualTo(api.get("excluded").asInt());
                    assertThat(number(ttr.get("median_s"))).as(where).isEqualTo(number(api.get("median_s")));
                    assertThat(number(ttr.get("p90_s"))).as(where).isEqualTo(number(api.get("p90_s")));
                    assertThat(number(ttr.get("mean_s"))).as(where).isEqualTo(number(api.get("mean_s")));
                }
            }
        }
    }

    @Test
    void theBackfilledFiguresFollowTheRecordedTimes() {
        // Artifacts first seen 3, 17, 31, 45 and 59 days before today; a signature (unverified) recorded
        // 12 and 40 days before today; a drill finished 30 days before today.
        List<Long> artifacts = new ArrayList<>();
        List<Long> unverified = new ArrayList<>();
        List<Long> drilled = new ArrayList<>();
        for (int k = 11; k >= 1; k--) {
            LocalDate day = TODAY.minusDays(7L * k);
            artifacts.add(rollups.ratioOnOrBefore(MetricNames.SBOM_COVERAGE, "P90D", null, null, day).orElseThrow().denominator());
            unverified.add(rollups.ratioOnOrBefore(MetricNames.SIGNED_UNVERIFIED, "P90D", null, null, day).orElseThrow().numerator());
            drilled.add(rollups.ratioOnOrBefore(MetricNames.DRILL_COVERAGE, "P90D", null, null, day).orElseThrow().numerator());
        }
        assertThat(artifacts).containsExactly(0L, 0L, 0L, 1L, 1L, 2L, 2L, 3L, 3L, 4L, 4L);
        assertThat(unverified).containsExactly(0L, 0L, 0L, 0L, 0L, 0L, 1L, 1L, 1L, 1L, 2L);
        assertThat(drilled).containsExactly(0L, 0L, 0L, 0L, 0L, 0L, 0L, 1L, 1L, 1L, 1L);
        assertThat(rollups.ratioOnOrBefore(MetricNames.DRILL_COVERAGE, "P90D", null, null, TODAY.minusDays(7)).orElseThrow()
                .denominator()).isEqualTo(1);
        // The SLA figures change over the weeks: findings open and are fixed at different times.
        List<MetricRollups.TrendPoint> sla = rollups.trend(MetricNames.SLA_COMPLIANCE, "P30D", null, null, 12);
        assertThat(sla).extracting(MetricRollups.TrendPoint::value).doesNotContainNull();
        assertThat(sla.stream().map(MetricRollups.TrendPoint::value).distinct().count()).isGreaterThan(3);
        for (String metric : List.of(MetricNames.SIGNED_UNVERIFIED, MetricNames.SCANNED_COVERAGE, MetricNames.OVERDUE_CRITICALS,
                MetricNames.TIME_TO_REMEDIATE)) {
            assertThat(rollups.trend(metric, "P90D", "checkout", null, 12)).as(metric).hasSize(12);
        }
    }

    @Test
    void metricsWithoutHistoryStayEmptyBeforeTheFirstRun() {
        for (String metric : List.of(MetricNames.OWNERSHIP_COVERAGE, MetricNames.RUNBOOK_FRESHNESS)) {
            for (String window : settings.windows()) {
                for (String[] scope : RollupEqualsApiTests.SCOPES) {
                    List<MetricRollups.TrendPoint> points = rollups.trend(metric, window, scope[0], scope[1], 12);
                    assertThat(points.subList(0, 11)).extracting(MetricRollups.TrendPoint::value).as(metric).containsOnlyNulls();
                    assertThat(points.get(11).end()).isEqualTo(TODAY);
                }
            }
            assertThat(new JdbcTemplate(dataSource).queryForObject(
                    "SELECT COUNT(*) FROM metric_daily WHERE metric = ? AND rollup_day < ?", Long.class, metric,
                    java.sql.Date.valueOf(TODAY))).isZero();
        }
        // A backfilled metric's trend has its 11 past weeks (the organisation owns artifacts 59 days back).
        assertThat(rollups.trend(MetricNames.SBOM_COVERAGE, "P90D", null, null, 12).subList(3, 12))
                .extracting(MetricRollups.TrendPoint::value).containsOnly(1.0);
    }

    @Test
    void aSecondRunWritesNothingForThePast() {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        String past = "SELECT * FROM metric_daily WHERE rollup_day < ? ORDER BY rollup_day, metric, time_window, team, service";
        List<Map<String, Object>> before = jdbc.queryForList(past, java.sql.Date.valueOf(TODAY));
        // 11 weeks x 3 windows x (organisation, 2 teams, 4 services) x 9 backfilled metrics
        assertThat(before).hasSize(11 * 3 * 7 * 9);
        long today = jdbc.queryForObject("SELECT COUNT(*) FROM metric_daily WHERE rollup_day = ?", Long.class,
                java.sql.Date.valueOf(TODAY));
        long samples = jdbc.queryForObject("SELECT COUNT(*) FROM metric_sample", Long.class);
        assertThat(firstRun.written()).isEqualTo(today + samples + 11 * 3 * 7 * 9);
        JobStatus again = CollectionRuns.waitFor(executions, runner.launch("again"));
        assertThat(again.written()).isEqualTo(today + samples);
        assertThat(jdbc.queryForList(past, java.sql.Date.valueOf(TODAY))).isEqualTo(before);
        // A day later, every week already holds its row: still nothing for the past.
        clock.set(MetricsTestData.NOW.plus(Duration.ofDays(1)));
        JobStatus tomorrow = CollectionRuns.waitFor(executions, runner.launch("tomorrow"));
        assertThat(tomorrow.written()).isEqualTo(today + jdbc.queryForObject("SELECT COUNT(*) FROM metric_sample", Long.class));
        assertThat(jdbc.queryForList(past, java.sql.Date.valueOf(TODAY))).isEqualTo(before);
        jdbc.update("DELETE FROM metric_daily WHERE rollup_day > ?", java.sql.Date.valueOf(TODAY));
    }

    private void push(String kind, String artifact, String contentType, byte[] body) throws Exception {
        mvc.perform(post("/api/v1/ingest/" + kind + "?artifact=" + artifact).with(user("ci").roles("ADMIN")).with(csrf())
                .contentType(contentType).content(body)).andExpect(status().isAccepted());
    }

    private JsonNode api(String metric, String window, String team, String service) throws Exception {
        return MetricsTestData.api(mvc, metric, window, team, service);
    }

    /** The row key of a scope: the team column (a service's row carries its owning team) or the service column. */
    private static String key(String team, String service, boolean teamColumn) {
        if (!teamColumn) {
            return service == null ? "" : service;
        }
        if (service == null) {
            return team == null ? "" : team;
        }
        return switch (service) {
            case "checkout-api", "checkout-web" -> "checkout";
            case "ledger-service" -> "ledger";
            default -> "";
        };
    }

    private static Double number(Object value) {
        return value == null ? null : ((Number) value).doubleValue();
    }

    private static Double number(JsonNode node) {
        return node == null || node.isNull() ? null : node.asDouble();
    }
}

package dev.assay.findings;

import static dev.assay.findings.FindingsTestData.CHECKOUT_API;
import static dev.assay.findings.FindingsTestData.LEDGER;
import static dev.assay.findings.FindingsTestData.seed;
import static dev.assay.findings.FindingsTestData.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.assay.catalog.Catalog;
import dev.assay.catalog.FigureScope;
import dev.assay.collect.CollectionLauncher;
import dev.assay.collect.JobExecutions;
import dev.assay.findings.internal.FindingWorkflow;

/**
 * SLA compliance, time to remediate and open counts on a dataset computed by hand.
 * <p>
 * Now is 2026-03-01T12:00Z; window P30D starts 2026-01-30T12:00Z. SLAs: critical 7 d, high 30 d,
 * medium 90 d, low 180 d (checkout-api is tier 1, ledger-service tier 2: same defaults).
 * <pre>
 *    service         sev       first seen   due          outcome                    counts as
 * A  checkout-api    critical  02-01 00:00  02-08 00:00  fixed 02-05 (4 d)          closed within SLA
 * B  checkout-api    critical  02-01 00:00  02-08 00:00  fixed 02-12 (11 d)         closed late
 * C  checkout-api    high      01-20 00:00  02-19 00:00  fixed 02-10 (21 d)         closed within SLA
 * D  checkout-api    high      2025-12-01   2025-12-31   fixed 01-15 (before window) nothing
 * E  checkout-api    high      01-01 00:00  01-31 00:00  open                        open past due
 * F  checkout-api    medium    02-20 00:00  05-21 00:00  open                        nothing (not due)
 * G  ledger-service  high      01-10 00:00  02-09 00:00  fixed 02-15 (36 d)          closed late
 * H  ledger-service  low       2025-06-01   2025-11-28   open                        open past due
 * I  ledger-service  critical  02-20 00:00  02-27 00:00  risk accepted now           nothing; TTR excluded
 * J  checkout-api    medium    02-01 00:00  05-02 00:00  false positive now          nothing; TTR excluded
 * </pre>
 */
@FindingsIntegrationTest
class SlaFiguresTests {

    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final double DAY = 86_400;

    @Autowired FindingsIntake intake;
    @Autowired FindingFigures figures;
    @Autowired FindingWorkflow workflow;
    @Autowired Catalog catalog;
    @Autowired CollectionLauncher launcher;
    @Autowired JobExecutions executions;
    @Autowired DataSource dataSource;
    @Autowired TestClock clock;

    JdbcTemplate jdbc;

    @BeforeEach
    void dataset() {
        FindingsTestData.freshDatabaseWithCatalog(dataSource, catalog, launcher, executions);
        jdbc = new JdbcTemplate(dataSource);
        clock.set(NOW);
        seed(intake, CHECKOUT_API, "A", Severity.CRITICAL, at("2026-02-01T00:00:00Z"), at("2026-02-05T00:00:00Z"));
        seed(intake, CHECKOUT_API, "B", Severity.CRITICAL, at("2026-02-01T00:00:00Z"), at("2026-02-12T00:00:00Z"));
        seed(intake, CHECKOUT_API, "C", Severity.HIGH, at("2026-01-20T00:00:00Z"), at("2026-02-10T00:00:00Z"));
        seed(intake, CHECKOUT_API, "D", Severity.HIGH, at("2025-12-01T00:00:00Z"), at("2026-01-15T00:00:00Z"));
        seed(intake, CHECKOUT_API, "E", Severity.HIGH, at("2026-01-01T00:00:00Z"), null);
        seed(intake, CHECKOUT_API, "F", Severity.MEDIUM, at("2026-02-20T00:00:00Z"), null);
        seed(intake, LEDGER, "G", Severity.HIGH, at("2026-01-10T00:00:00Z"), at("2026-02-15T00:00:00Z"));
        seed(intake, LEDGER, "H", Severity.LOW, at("2025-06-01T00:00:00Z"), null);
        seed(intake, LEDGER, "I", Severity.CRITICAL, at("2026-02-20T00:00:00Z"), null);
        seed(intake, CHECKOUT_API, "J", Severity.MEDIUM, at("2026-02-01T00:00:00Z"), null);
    }

    @Test
    void slaComplianceCountsClosedWithinSlaOverClosedPlusOpenPastDue() {
        acceptRiskOfI();
        workflow.markFalsePositive(id("J"), "Test fixture only, not shipped", user("olivia", "SERVICE_OWNER"));

        // closed in window: A (within), B (late), C (within), G (late); open past due: E, H.
        // numerator = 2 (A, C); denominator = 2 + 2 + 2 = 6.
        SlaCompliance all = figures.slaCompliance("P30D", null, null, null);
        assertThat(all.closedWithinSla()).isEqualTo(2);
        assertThat(all.closedLate()).isEqualTo(2);
        assertThat(all.openPastDue()).isEqualTo(2);
        assertThat(all.toMetric()).containsEntry("metric", "sla-compliance").containsEntry("window", "P30D")
                .containsEntry("numerator", 2L).containsEntry("denominator", 6L);
        assertThat(all.ratio()).isCloseTo(2.0 / 6.0, within(1e-12));

        // team checkout (checkout-api): A, C within; B late; E past due → 2 / 4.
        SlaCompliance checkout = figures.slaCompliance("P30D", "checkout", null, null);
        assertThat(List.of(checkout.numerator(), checkout.denominator())).containsExactly(2L, 4L);
        assertThat(checkout.ratio()).isEqualTo(0.5);
        // team ledger: G late, H past due → 0 / 2.
        SlaCompliance ledger = figures.slaCompliance("P30D", "ledger", null, null);
        assertThat(List.of(ledger.numerator(), ledger.denominator())).containsExactly(0L, 2L);
        assertThat(ledger.ratio()).isEqualTo(0.0);
        // critical: A within, B late; I is accepted, so not past due → 1 / 2.
        SlaCompliance critical = figures.slaCompliance("P30D", null, null, "critical");
        assertThat(List.of(critical.numerator(), critical.denominator())).containsExactly(1L, 2L);
        // P90D (from 2025-12-01T12:00Z): D (fixed 01-15, due 2025-12-31: late) joins → 2 / 7.
        SlaCompliance ninety = figures.slaCompliance("P90D", null, null, null);
        assertThat(List.of(ninety.numerator(), ninety.denominator())).containsExactly(2L, 7L);
        // A team that owns no service: nothing to judge.
        SlaCompliance nobody = figures.slaCompliance("P30D", "no-such-team", null, null);
        assertThat(nobody.denominator()).isZero();
        assertThat(nobody.ratio()).isNull();
        assertThat(nobody.toMetric()).containsEntry("ratio", null);
    }

    @Test
    void acceptingARiskTakesItOutOfTheFigureAndItsExpiryPutsItBack() {
        // Before: I (critical, due 02-27) is open past due too → 2 / 7.
        SlaCompliance before = figures.slaCompliance("P30D", null, null, null);
        assertThat(List.of(before.numerator(), before.denominator())).containsExactly(2L, 7L);

        acceptRiskOfI();
        SlaCompliance accepted = figures.slaCompliance("P30D", null, null, null);
        assertThat(List.of(accepted.numerator(), accepted.denominator())).containsExactly(2L, 6L);

        // The acceptance runs through 2026-03-31, i.e. until 2026-04-01T00:00Z; the figure reopens it when read.
        clock.set(Instant.parse("2026-04-01T00:00:01Z"));
        SlaCompliance expired = figures.slaCompliance("P90D", "ledger", null, null);
        assertThat(jdbc.queryForObject("select status from finding where rule_id = 'I'", String.class)).isEqualTo("open");
        // ledger over P90D (from 2026-01-01T00:00:01Z): G late; H and I past due → 0 / 3.
        assertThat(List.of(expired.numerator(), expired.denominator())).containsExactly(0L, 3L);
    }

    @Test
    void timeToRemediateIsMedianP90MeanOfFixedMinusFirstSeen() {
        acceptRiskOfI();
        workflow.markFalsePositive(id("J"), "Test fixture only, not shipped", user("olivia", "SERVICE_OWNER"));

        // fixed in window: A 4 d, B 11 d, C 21 d, G 36 d → sorted [4, 11, 21, 36] days.
        // median = (11 + 21) / 2 = 16 d; p90: rank 0.9 × 3 = 2.7 → 21 + 0.7 × (36 − 21) = 31.5 d;
        // mean = 72 / 4 = 18 d. Excluded: I (risk accepted) and J (false positive), closed in the window.
        RemediationTime ttr = figures.timeToRemediate("P30D", null, null, null);
        assertThat(ttr.n()).isEqualTo(4);
        assertThat(ttr.excluded()).isEqualTo(2);
        assertThat(ttr.median()).isEqualTo(16 * DAY);
        assertThat(ttr.p90()).isCloseTo(31.5 * DAY, within(1e-6));
        assertThat(ttr.mean()).isEqualTo(18 * DAY);
        assertThat(ttr.tooFew()).isTrue();
        assertThat(ttr.medianCi90()[0]).isBetween(4 * DAY, 16 * DAY);
        assertThat(ttr.medianCi90()[1]).isBetween(16 * DAY, 36 * DAY);
        Map<String, Object> metric = ttr.toMetric();
        assertThat(metric).containsEntry("metric", "time-to-remediate").containsEntry("window", "P30D")
                .containsEntry("n", 4).containsEntry("excluded", 2).containsEntry("median_s", 1_382_400.0)
                .containsEntry("mean_s", 1_555_200.0);
        assertThat((Double) metric.get("p90_s")).isCloseTo(2_721_600.0, within(1e-6));
        assertThat(metric.get("median_ci90_s")).isEqualTo(List.of(ttr.medianCi90()[0], ttr.medianCi90()[1]));
        assertThat(figures.timeToRemediate("P30D", null, null, null).medianCi90()).containsExactly(ttr.medianCi90());

        // team ledger: only G (36 d); I excluded.
        RemediationTime ledger = figures.timeToRemediate("P30D", "ledger", null, null);
        assertThat(List.of(ledger.n(), ledger.excluded())).containsExactly(1, 1);
        assertThat(ledger.median()).isEqualTo(36 * DAY);
        assertThat(ledger.medianCi90()).containsExactly(36 * DAY, 36 * DAY);
        // critical: A 4 d, B 11 d → median 7.5 d.
        assertThat(figures.timeToRemediate("P30D", null, null, "critical").median()).isEqualTo(7.5 * DAY);
        // Nothing fixed in a 1-hour window.
        RemediationTime none = figures.timeToRemediate("PT1H", null, null, null);
        assertThat(none.n()).isZero();
        assertThat(none.toMetric()).containsEntry("median_s", null).containsEntry("median_ci90_s", null);
    }

    @Test
    void openAndOverdueCountsBySeverityPerTeamAndService() {
        // Open or in progress: E (checkout-api high, overdue), F (checkout-api medium), J (checkout-api medium),
        // H (ledger low, overdue), I (ledger critical, due 02-27: overdue).
        assertThat(figures.openCounts(null, null)).containsExactly(
                new OpenCount("checkout", CHECKOUT_API, Severity.HIGH, 1, 1),
                new OpenCount("checkout", CHECKOUT_API, Severity.MEDIUM, 2, 0),
                new OpenCount("ledger", LEDGER, Severity.CRITICAL, 1, 1),
                new OpenCount("ledger", LEDGER, Severity.LOW, 1, 1));
        assertThat(figures.openCounts("ledger", null)).extracting(OpenCount::service).containsOnly(LEDGER);
        assertThat(FindingFigures.bySeverity(figures.openCounts(null, null))).containsExactly(
                new OpenCount(null, null, Severity.CRITICAL, 1, 1), new OpenCount(null, null, Severity.HIGH, 1, 1),
                new OpenCount(null, null, Severity.MEDIUM, 2, 0), new OpenCount(null, null, Severity.LOW, 1, 1),
                new OpenCount(null, null, Severity.UNKNOWN, 0, 0));
    }

    @Test
    void asOfAPastInstantEachFindingCountsWithTheStateItsHistoryGivesThen() {
        acceptRiskOfI();
        workflow.markFalsePositive(id("J"), "Test fixture only, not shipped", user("olivia", "SERVICE_OWNER"));
        // As of 2026-02-10T12:00Z (P30D from 01-11T12:00Z): F and I were not seen yet; B (fixed 02-12) and G
        // (fixed 02-15) were still open and past due; J (false positive only now) was open, not due.
        // Closed in the window: A (within), C (within), D (fixed 01-15, due 2025-12-31: late);
        // open past due: B, E, G, H → 2 / 7.
        Instant asOf = at("2026-02-10T12:00:00Z");
        FigureScope all = new FigureScope(null, null);
        SlaCompliance sla = figures.slaComplianceByScope("P30D", List.of(all), asOf).get(all);
        assertThat(List.of(sla.closedWithinSla(), sla.closedLate(), sla.openPastDue())).containsExactly(2L, 1L, 4L);
        FigureScope checkout = new FigureScope("checkout", null);
        SlaCompliance team = figures.slaComplianceByScope("P30D", List.of(checkout), asOf).get(checkout);
        assertThat(List.of(team.numerator(), team.denominator())).containsExactly(2L, 5L);
        // Fixed in the window: A 4 d, C 21 d, D 45 d; nothing excluded yet (J became a false positive later).
        RemediationTime ttr = figures.timeToRemediateByScope("P30D", List.of(all), asOf).get(all);
        assertThat(List.of(ttr.n(), ttr.excluded())).containsExactly(3, 0);
        assertThat(ttr.median()).isEqualTo(21 * DAY);
        assertThat(figures.openCountsByScope(List.of(all), asOf).get(all)).containsExactly(
                new OpenCount("checkout", CHECKOUT_API, Severity.CRITICAL, 1, 1),
                new OpenCount("checkout", CHECKOUT_API, Severity.HIGH, 1, 1),
                new OpenCount("checkout", CHECKOUT_API, Severity.MEDIUM, 1, 0),
                new OpenCount("ledger", LEDGER, Severity.HIGH, 1, 1),
                new OpenCount("ledger", LEDGER, Severity.LOW, 1, 1));
        // The same figures as the API computes them with the clock set to that instant.
        clock.set(asOf);
        SlaCompliance then = figures.slaCompliance("P30D", null, null, null);
        assertThat(List.of(then.numerator(), then.denominator())).containsExactly(2L, 7L);
        assertThat(figures.timeToRemediate("P30D", null, null, null).median()).isEqualTo(21 * DAY);
        assertThat(figures.openCounts(null, null)).isEqualTo(figures.openCountsByScope(List.of(all), asOf).get(all));
    }

    @Test
    void badWindowsAndSeveritiesAreRefusedWithAMessage() {
        assertThatThrownBy(() -> figures.slaCompliance("90 days", null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("window '90 days' is not an ISO-8601 duration such as P90D");
        assertThatThrownBy(() -> figures.slaCompliance("-P1D", null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("window must be a positive ISO-8601 duration, e.g. P90D");
        assertThatThrownBy(() -> figures.timeToRemediate("P30D", null, null, "severe"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("severity 'severe' must be one of critical, high, medium, low, unknown");
    }

    private void acceptRiskOfI() {
        long request = workflow.requestRiskAcceptance(id("I"), "Compensating WAF rule in front of the ledger",
                Instant.parse("2026-04-01T00:00:00Z"), user("lars", "SERVICE_OWNER"));
        workflow.approve(request, null, user("sam", "SECURITY"));
    }

    private long id(String ruleId) {
        return jdbc.queryForObject("select id from finding where rule_id = ?", Long.class, ruleId);
    }

    private static Instant at(String text) {
        return Instant.parse(text);
    }
}

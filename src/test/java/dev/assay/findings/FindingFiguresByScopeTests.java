package dev.assay.findings;

import static dev.assay.findings.FindingsTestData.CHECKOUT_API;
import static dev.assay.findings.FindingsTestData.CHECKOUT_WEB;
import static dev.assay.findings.FindingsTestData.LEDGER;
import static dev.assay.findings.FindingsTestData.ORPHAN;
import static dev.assay.findings.FindingsTestData.seed;
import static dev.assay.findings.FindingsTestData.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
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
 * The {@code …ByScope} figures (the metrics rollup asks for every scope at once) equal the
 * single-scope figures for every scope and window, on a dataset that spreads findings over both
 * teams, the service nobody owns and a service the catalog does not know.
 * <p>
 * Now is 2026-03-01T12:00Z. Windows: P7D from 02-22T12:00Z, P30D from 01-30T12:00Z, P90D from
 * 2025-12-01T12:00Z. SLAs: critical 7 d, high 30 d, medium 90 d, low 180 d.
 * <pre>
 *    service         team      sev       first seen   due          outcome
 * A  checkout-api    checkout  critical  02-01        02-08        fixed 02-05 (4 d, within)
 * B  checkout-api    checkout  critical  02-01        02-08        fixed 02-12 (11 d, late)
 * C  checkout-api    checkout  high      01-20        02-19        fixed 02-26 (37 d, late)
 * D  checkout-api    checkout  high      2025-12-01   2025-12-31   fixed 01-15 (45 d, late; P90D only)
 * E  checkout-api    checkout  high      01-01        01-31        open, overdue
 * R  checkout-api    checkout  high      02-25        03-27        open
 * L  checkout-api    checkout  medium    02-01        05-02        false positive now (excluded)
 * Q  checkout-api    checkout  low       02-15        08-14        fixed 02-25, first seen moved to 02-26 (excluded)
 * F  checkout-web    checkout  medium    02-20        05-21        open
 * G  checkout-web    checkout  low       02-24        08-23        fixed 02-28 (4 d, within)
 * H  checkout-web    checkout  critical  02-10        02-17        open, overdue
 * I  ledger-service  ledger    high      01-10        02-09        fixed 02-15 (36 d, late)
 * J  ledger-service  ledger    low       2025-06-01   2025-11-28   open, overdue
 * K  ledger-service  ledger    critical  02-20        02-27        risk accepted now (excluded)
 * M  orphan-service  —         high      02-01        03-03        fixed 02-20 (19 d, within)
 * N  orphan-service  —         medium    2025-10-01   2025-12-30   open, overdue
 * O  ghost-service   (unknown) critical  02-25        03-04        fixed 02-27 (2 d, within)
 * P  ghost-service   (unknown) high      01-01        01-31        open, overdue
 * </pre>
 * The team {@code security-guild} exists and owns nothing; {@code disbanded-team} is the declared
 * owner of orphan-service but not a team.
 */
@FindingsIntegrationTest
class FindingFiguresByScopeTests {

    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final double DAY = 86_400;
    static final String GHOST = "ghost-service";
    static final List<String> WINDOWS = List.of("P7D", "P30D", "P90D", "PT1H");
    static final List<FigureScope> SCOPES = List.of(FigureScope.organisation(), FigureScope.ofTeam("checkout"),
            FigureScope.ofTeam("ledger"), FigureScope.ofTeam("security-guild"), FigureScope.ofTeam("disbanded-team"),
            FigureScope.ofTeam("no-such-team"), FigureScope.ofService(CHECKOUT_API), FigureScope.ofService(CHECKOUT_WEB),
            FigureScope.ofService(LEDGER), FigureScope.ofService(ORPHAN), FigureScope.ofService(GHOST),
            FigureScope.ofService("no-such-service"), new FigureScope("checkout", CHECKOUT_WEB),
            new FigureScope("ledger", CHECKOUT_API));

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
        jdbc.update("insert into team (name, created_at, updated_at) values ('security-guild', ?, ?)",
                java.sql.Timestamp.from(NOW), java.sql.Timestamp.from(NOW));
        clock.set(NOW);
        seed(intake, CHECKOUT_API, "A", Severity.CRITICAL, at("2026-02-01T00:00:00Z"), at("2026-02-05T00:00:00Z"));
        seed(intake, CHECKOUT_API, "B", Severity.CRITICAL, at("2026-02-01T00:00:00Z"), at("2026-02-12T00:00:00Z"));
        seed(intake, CHECKOUT_API, "C", Severity.HIGH, at("2026-01-20T00:00:00Z"), at("2026-02-26T00:00:00Z"));
        seed(intake, CHECKOUT_API, "D", Severity.HIGH, at("2025-12-01T00:00:00Z"), at("2026-01-15T00:00:00Z"));
        seed(intake, CHECKOUT_API, "E", Severity.HIGH, at("2026-01-01T00:00:00Z"), null);
        seed(intake, CHECKOUT_API, "R", Severity.HIGH, at("2026-02-25T00:00:00Z"), null);
        seed(intake, CHECKOUT_API, "L", Severity.MEDIUM, at("2026-02-01T00:00:00Z"), null);
        seed(intake, CHECKOUT_API, "Q", Severity.LOW, at("2026-02-15T00:00:00Z"), at("2026-02-25T00:00:00Z"));
        seed(intake, CHECKOUT_WEB, "F", Severity.MEDIUM, at("2026-02-20T00:00:00Z"), null);
        seed(intake, CHECKOUT_WEB, "G", Severity.LOW, at("2026-02-24T00:00:00Z"), at("2026-02-28T00:00:00Z"));
        seed(intake, CHECKOUT_WEB, "H", Severity.CRITICAL, at("2026-02-10T00:00:00Z"), null);
        seed(intake, LEDGER, "I", Severity.HIGH, at("2026-01-10T00:00:00Z"), at("2026-02-15T00:00:00Z"));
        seed(intake, LEDGER, "J", Severity.LOW, at("2025-06-01T00:00:00Z"), null);
        seed(intake, LEDGER, "K", Severity.CRITICAL, at("2026-02-20T00:00:00Z"), null);
        seed(intake, ORPHAN, "M", Severity.HIGH, at("2026-02-01T00:00:00Z"), at("2026-02-20T00:00:00Z"));
        seed(intake, ORPHAN, "N", Severity.MEDIUM, at("2025-10-01T00:00:00Z"), null);
        seed(intake, GHOST, "O", Severity.CRITICAL, at("2026-02-25T00:00:00Z"), at("2026-02-27T00:00:00Z"));
        seed(intake, GHOST, "P", Severity.HIGH, at("2026-01-01T00:00:00Z"), null);
        // Q's evidence is inconsistent (fixed before first seen): no remediation time, counted as excluded.
        jdbc.update("update finding set first_seen_at = ? where rule_id = 'Q'",
                java.sql.Timestamp.from(at("2026-02-26T00:00:00Z")));
        long request = workflow.requestRiskAcceptance(id("K"), "Compensating WAF rule in front of the ledger",
                Instant.parse("2026-04-01T00:00:00Z"), user("lars", "SERVICE_OWNER"));
        workflow.approve(request, null, user("sam", "SECURITY"));
        workflow.markFalsePositive(id("L"), "Test fixture only, not shipped", user("olivia", "SERVICE_OWNER"));
    }

    @AfterEach
    void removeTheTeamWithoutServices() {
        jdbc.update("delete from team where name = 'security-guild'");
    }

    @Test
    void slaComplianceByScopeEqualsTheFigureOfEachScope() {
        for (String window : WINDOWS) {
            Map<FigureScope, SlaCompliance> byScope = figures.slaComplianceByScope(window, SCOPES);
            assertThat(byScope).hasSize(SCOPES.size());
            for (FigureScope scope : SCOPES) {
                assertThat(byScope.get(scope)).as("%s %s", window, scope)
                        .isEqualTo(figures.slaCompliance(window, scope.team(), scope.service(), null));
            }
        }
        Map<FigureScope, SlaCompliance> thirty = figures.slaComplianceByScope("P30D", SCOPES);
        // Fixed in P30D: A, G, M, O, Q within; B, C, I late. Open past due: E, H, J, N, P (K is accepted).
        assertThat(parts(thirty.get(FigureScope.organisation()))).containsExactly(5L, 3L, 5L);
        assertThat(parts(thirty.get(FigureScope.ofTeam("checkout")))).containsExactly(3L, 2L, 2L);
        assertThat(parts(thirty.get(FigureScope.ofTeam("ledger")))).containsExactly(0L, 1L, 1L);
        assertThat(parts(thirty.get(FigureScope.ofTeam("security-guild")))).containsExactly(0L, 0L, 0L);
        assertThat(parts(thirty.get(FigureScope.ofTeam("disbanded-team")))).containsExactly(0L, 0L, 0L);
        assertThat(parts(thirty.get(FigureScope.ofService(ORPHAN)))).containsExactly(1L, 0L, 1L);
        assertThat(parts(thirty.get(FigureScope.ofService(GHOST)))).containsExactly(1L, 0L, 1L);
        assertThat(parts(thirty.get(new FigureScope("checkout", CHECKOUT_WEB)))).containsExactly(1L, 0L, 1L);
        assertThat(parts(thirty.get(new FigureScope("ledger", CHECKOUT_API)))).containsExactly(0L, 0L, 0L);
        SlaCompliance team = thirty.get(FigureScope.ofTeam("checkout"));
        assertThat(List.of(team.window(), team.team(), team.asOf())).containsExactly("P30D", "checkout", NOW);
        assertThat(team.service()).isNull();
        // P7D: C (late), G, O, Q (within); P90D adds D (late) to P30D.
        assertThat(parts(figures.slaComplianceByScope("P7D", SCOPES).get(FigureScope.organisation())))
                .containsExactly(3L, 1L, 5L);
        assertThat(parts(figures.slaComplianceByScope("P90D", SCOPES).get(FigureScope.organisation())))
                .containsExactly(5L, 4L, 5L);
    }

    @Test
    void timeToRemediateByScopeEqualsTheFigureOfEachScope() {
        for (String window : WINDOWS) {
            Map<FigureScope, RemediationTime> byScope = figures.timeToRemediateByScope(window, SCOPES);
            assertThat(byScope).hasSize(SCOPES.size());
            for (FigureScope scope : SCOPES) {
                assertThat(byScope.get(scope)).as("%s %s", window, scope)
                        .isEqualTo(figures.timeToRemediate(window, scope.team(), scope.service(), null));
            }
        }
        // P7D: C 37 d, G 4 d, O 2 d; excluded Q (fixed before first seen), K (accepted), L (false positive).
        RemediationTime week = figures.timeToRemediateByScope("P7D", SCOPES).get(FigureScope.organisation());
        assertThat(List.of(week.n(), week.excluded())).containsExactly(3, 3);
        assertThat(week.median()).isEqualTo(4 * DAY);
        assertThat(week.p90()).isCloseTo(30.4 * DAY, within(1e-6));
        assertThat(week.mean()).isCloseTo(43.0 / 3 * DAY, within(1e-6));
        // P90D, team checkout: A 4, B 11, C 37, D 45, G 4 days (n = 5, not too few); Q and L excluded.
        RemediationTime checkout = figures.timeToRemediateByScope("P90D", SCOPES).get(FigureScope.ofTeam("checkout"));
        assertThat(List.of(checkout.n(), checkout.excluded())).containsExactly(5, 2);
        assertThat(checkout.median()).isEqualTo(11 * DAY);
        assertThat(checkout.mean()).isCloseTo(20.2 * DAY, within(1e-6));
        assertThat(checkout.tooFew()).isFalse();
        assertThat(checkout.medianCi90()).hasSize(2);
        // The ledger team: I 36 d, K excluded; a team with no services has nothing.
        RemediationTime ledger = figures.timeToRemediateByScope("P30D", SCOPES).get(FigureScope.ofTeam("ledger"));
        assertThat(List.of(ledger.n(), ledger.excluded())).containsExactly(1, 1);
        assertThat(ledger.median()).isEqualTo(36 * DAY);
        RemediationTime guild = figures.timeToRemediateByScope("P90D", SCOPES).get(FigureScope.ofTeam("security-guild"));
        assertThat(List.of(guild.n(), guild.excluded())).containsExactly(0, 0);
        assertThat(guild.median()).isNull();
    }

    @Test
    void openCountsByScopeEqualTheListOfEachScopeInTheSameOrder() {
        Map<FigureScope, List<OpenCount>> byScope = figures.openCountsByScope(SCOPES);
        assertThat(byScope).hasSize(SCOPES.size());
        for (FigureScope scope : SCOPES) {
            assertThat(byScope.get(scope)).as("%s", scope).isEqualTo(figures.openCounts(scope.team(), scope.service()));
        }
        assertThat(byScope.get(FigureScope.organisation())).containsExactly(
                new OpenCount("checkout", CHECKOUT_API, Severity.HIGH, 2, 1),
                new OpenCount("checkout", CHECKOUT_WEB, Severity.CRITICAL, 1, 1),
                new OpenCount("checkout", CHECKOUT_WEB, Severity.MEDIUM, 1, 0),
                new OpenCount("ledger", LEDGER, Severity.LOW, 1, 1),
                new OpenCount(null, GHOST, Severity.HIGH, 1, 1),
                new OpenCount(null, ORPHAN, Severity.MEDIUM, 1, 1));
        assertThat(byScope.get(FigureScope.ofTeam("checkout"))).containsExactly(
                new OpenCount("checkout", CHECKOUT_API, Severity.HIGH, 2, 1),
                new OpenCount("checkout", CHECKOUT_WEB, Severity.CRITICAL, 1, 1),
                new OpenCount("checkout", CHECKOUT_WEB, Severity.MEDIUM, 1, 0));
        assertThat(byScope.get(new FigureScope("checkout", CHECKOUT_WEB))).containsExactly(
                new OpenCount("checkout", CHECKOUT_WEB, Severity.CRITICAL, 1, 1),
                new OpenCount("checkout", CHECKOUT_WEB, Severity.MEDIUM, 1, 0));
        assertThat(byScope.get(FigureScope.ofService(GHOST))).containsExactly(new OpenCount(null, GHOST, Severity.HIGH, 1, 1));
        assertThat(byScope.get(FigureScope.ofTeam("security-guild"))).isEmpty();
        assertThat(byScope.get(new FigureScope("ledger", CHECKOUT_API))).isEmpty();
    }

    private static List<Long> parts(SlaCompliance sla) {
        return List.of(sla.closedWithinSla(), sla.closedLate(), sla.openPastDue());
    }

    private long id(String ruleId) {
        return jdbc.queryForObject("select id from finding where rule_id = ?", Long.class, ruleId);
    }

    private static Instant at(String text) {
        return Instant.parse(text);
    }
}

package dev.assay.playbooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.assay.catalog.FigureScope;
import dev.assay.catalog.Ratio;
import dev.assay.collect.CollectionLauncher;
import dev.assay.collect.JobExecutions;

/**
 * The {@code …ByScope} playbook figures (the metrics rollup asks for every scope at once) equal the
 * single-scope figures for every scope and window, on the playbooks test organisation
 * (src/test/resources/playbooks: tier-1 operated checkout-api and ledger of team checkout, login-api
 * of identity, edge-proxy of platform, orphan-batch whose declared owner group:ghost is no team;
 * checkout-web tier 2; checkout-sdk a library) plus a team that owns nothing and a runbook shared by
 * two teams and three services.
 */
@PlaybooksIntegrationTest
class PlaybookFiguresByScopeTests {

    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    static final List<Duration> WINDOWS = List.of(Duration.ofDays(7), Duration.ofDays(30), Duration.ofDays(90),
            Duration.ofDays(365));
    static final List<FigureScope> SCOPES = List.of(FigureScope.organisation(), FigureScope.ofTeam("checkout"),
            FigureScope.ofTeam("identity"), FigureScope.ofTeam("platform"), FigureScope.ofTeam("security-guild"),
            FigureScope.ofTeam("ghost"), FigureScope.ofTeam("group:ghost"), FigureScope.ofTeam("no-such-team"),
            FigureScope.ofService("checkout-api"), FigureScope.ofService("ledger"), FigureScope.ofService("login-api"),
            FigureScope.ofService("edge-proxy"), FigureScope.ofService("orphan-batch"),
            FigureScope.ofService("checkout-web"), FigureScope.ofService("checkout-sdk"),
            FigureScope.ofService("no-such-service"), new FigureScope("checkout", "ledger"),
            new FigureScope("identity", "ledger"), new FigureScope("platform", "ledger"));

    @Autowired PlaybookFigures figures;
    @Autowired Drills drills;
    @Autowired Runbooks runbooks;
    @Autowired CollectionLauncher launcher;
    @Autowired JobExecutions executions;
    @Autowired MutableClock clock;
    @Autowired DataSource dataSource;

    JdbcTemplate jdbc;

    @BeforeEach
    void importPlaybooks() {
        PlaybookFixtures.cleanAndImport(dataSource, launcher, executions, clock);
        jdbc = new JdbcTemplate(dataSource);
        jdbc.update("insert into team (name, created_at, updated_at) values ('security-guild', ?, ?)",
                java.sql.Timestamp.from(clock.instant()), java.sql.Timestamp.from(clock.instant()));
        RunbookSummary shared = runbooks.create("---\nrunbook: shared-outage\ntitle: Shared outage\n"
                + "services: [checkout-api, ledger, login-api]\nteams: [checkout, identity]\nreview_interval_days: 90\n"
                + "last_reviewed: 2026-02-20\n---\n## Steps\n- [ ] Fail over\n", null, "olive");
        assertThat(shared.stale()).isFalse();
    }

    @Test
    void runbookFreshnessByScopeEqualsTheFigureOfEachScope() {
        // Now 2026-03-01: checkout-api-outage, login-credential-stuffing and shared-outage are fresh;
        // ledger-reconciliation (reviewed 2025-06-01) is stale and edge-tls-expiry was never reviewed.
        Map<FigureScope, Ratio> byScope = figures.runbookFreshnessByScope(SCOPES);
        assertThat(byScope).hasSize(SCOPES.size());
        for (FigureScope scope : SCOPES) {
            assertThat(byScope.get(scope)).as("%s", scope).isEqualTo(figures.runbookFreshness(scope.team(), scope.service()));
        }
        assertThat(byScope.get(FigureScope.organisation())).isEqualTo(new Ratio(3, 5));
        // checkout: its own runbook, ledger's (a service it owns) and the shared one, which names the
        // team and two of its services but counts once.
        assertThat(byScope.get(FigureScope.ofTeam("checkout"))).isEqualTo(new Ratio(2, 3));
        assertThat(byScope.get(FigureScope.ofTeam("identity"))).isEqualTo(new Ratio(2, 2));
        assertThat(byScope.get(FigureScope.ofTeam("platform"))).isEqualTo(new Ratio(0, 1));
        assertThat(byScope.get(FigureScope.ofTeam("security-guild"))).isEqualTo(new Ratio(0, 0));
        assertThat(byScope.get(FigureScope.ofService("ledger"))).isEqualTo(new Ratio(1, 2));
        assertThat(byScope.get(FigureScope.ofService("checkout-web"))).isEqualTo(new Ratio(0, 0));
        assertThat(byScope.get(new FigureScope("checkout", "ledger"))).isEqualTo(new Ratio(1, 2));
        // identity does not own ledger, but the shared runbook names identity and ledger.
        assertThat(byScope.get(new FigureScope("identity", "ledger"))).isEqualTo(new Ratio(1, 1));
        assertThat(byScope.get(new FigureScope("platform", "ledger"))).isEqualTo(new Ratio(0, 0));

        clock.set(NOW);
        Map<FigureScope, Ratio> later = figures.runbookFreshnessByScope(SCOPES);
        for (FigureScope scope : SCOPES) {
            assertThat(later.get(scope)).as("%s", scope).isEqualTo(figures.runbookFreshness(scope.team(), scope.service()));
        }
        assertThat(later.get(FigureScope.organisation())).isEqualTo(new Ratio(0, 5));
    }

    @Test
    void drillCoverageByScopeEqualsTheFigureOfEachScopeAndWindow() {
        drill("checkout-api-outage", "2026-05-28T10:00:00Z", Duration.ofMinutes(30)); // 4 days before NOW
        drill("shared-outage", "2026-05-10T10:00:00Z", Duration.ofMinutes(20));       // checkout-api, ledger, login-api
        drill("ledger-reconciliation", "2026-02-20T10:00:00Z", Duration.ofMinutes(45)); // 101 days before NOW
        drill("edge-tls-expiry", "2026-03-03T11:00:00Z", Duration.ofHours(1));        // exactly 90 days: just out
        clock.set(NOW);

        for (Duration window : WINDOWS) {
            Map<FigureScope, Ratio> byScope = figures.drillCoverageByScope(window, SCOPES);
            assertThat(byScope).hasSize(SCOPES.size());
            for (FigureScope scope : SCOPES) {
                assertThat(byScope.get(scope)).as("%s %s", window, scope)
                        .isEqualTo(figures.drillCoverage(window, scope.team(), scope.service()));
            }
        }
        Map<FigureScope, Ratio> week = figures.drillCoverageByScope(Duration.ofDays(7), SCOPES);
        assertThat(week.get(FigureScope.organisation())).isEqualTo(new Ratio(1, 5));
        assertThat(week.get(FigureScope.ofTeam("checkout"))).isEqualTo(new Ratio(1, 2));
        assertThat(week.get(FigureScope.ofTeam("identity"))).isEqualTo(new Ratio(0, 1));
        Map<FigureScope, Ratio> quarter = figures.drillCoverageByScope(PlaybookFigures.DRILL_WINDOW, SCOPES);
        assertThat(quarter.get(FigureScope.organisation())).isEqualTo(new Ratio(3, 5));
        assertThat(quarter.get(FigureScope.ofTeam("checkout"))).isEqualTo(new Ratio(2, 2));
        assertThat(quarter.get(FigureScope.ofTeam("identity"))).isEqualTo(new Ratio(1, 1));
        assertThat(quarter.get(FigureScope.ofTeam("platform"))).isEqualTo(new Ratio(0, 1));
        assertThat(quarter.get(FigureScope.ofTeam("security-guild"))).isEqualTo(new Ratio(0, 0));
        assertThat(quarter.get(FigureScope.ofService("ledger"))).isEqualTo(new Ratio(1, 1));
        assertThat(quarter.get(FigureScope.ofService("checkout-web"))).isEqualTo(new Ratio(0, 0));
        assertThat(quarter.get(FigureScope.ofService("checkout-sdk"))).isEqualTo(new Ratio(0, 0));
        assertThat(quarter.get(new FigureScope("checkout", "ledger"))).isEqualTo(new Ratio(1, 1));
        assertThat(quarter.get(new FigureScope("identity", "ledger"))).isEqualTo(new Ratio(0, 0));
        Map<FigureScope, Ratio> year = figures.drillCoverageByScope(Duration.ofDays(365), SCOPES);
        assertThat(year.get(FigureScope.organisation())).isEqualTo(new Ratio(4, 5));
        assertThat(year.get(FigureScope.ofTeam("platform"))).isEqualTo(new Ratio(1, 1));
    }

    /** A tabletop drill of a runbook's current version, started at {@code start}, one step done, finished after {@code length}. */
    private void drill(String slug, String start, Duration length) {
        clock.set(start);
        long drill = drills.plan(PlaybookFixtures.runbookId(jdbc, slug), null, "tabletop", null, true, "sec");
        drills.startStep(drill, 1, "sec");
        clock.advance(length);
        drills.completeStep(drill, 1, null, "sec");
        drills.finish(drill, "succeeded", null, "sec");
    }
}

package dev.assay.playbooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.assay.DatabaseCleaner;
import dev.assay.catalog.Catalog;
import dev.assay.catalog.Ratio;
import dev.assay.catalog.ServiceSummary;
import dev.assay.catalog.TeamMembership;
import dev.assay.collect.CollectionLauncher;
import dev.assay.collect.JobExecutions;
import dev.assay.collect.JobStatus;

/**
 * The demo runbooks (batch-jobs/demo/runbooks) import cleanly with the demo catalog: every file is
 * a runbook, every service and team they name is in the demo catalog, and the figures on a fixed
 * date are what docs/playbooks.md says.
 */
@PlaybooksIntegrationTest
class DemoRunbooksTests {

    @Autowired CollectionLauncher launcher;
    @Autowired JobExecutions executions;
    @Autowired Runbooks runbooks;
    @Autowired Drills drills;
    @Autowired PlaybookFigures figures;
    @Autowired Catalog catalog;
    @Autowired TeamMembership membership;
    @Autowired MutableClock clock;
    @Autowired DataSource dataSource;

    @BeforeEach
    void importTheDemo() {
        new DatabaseCleaner(dataSource).cleanAll();
        clock.set("2026-11-26T09:00:00Z");
        PlaybookFixtures.collect(launcher, executions, clock, "playbooks-demo-catalog");
    }

    @Test
    void theDemoRunbooksImportWithoutQuarantineAndNameOnlyKnownServicesAndTeams() {
        JobStatus run = PlaybookFixtures.collect(launcher, executions, clock, "playbooks-demo-runbooks");

        assertThat(run.status()).isEqualTo("COMPLETED");
        assertThat(run.read()).isEqualTo(7);
        assertThat(run.written()).isEqualTo(7);
        assertThat(run.quarantined()).isZero();
        assertThat(runbooks.all()).extracting(RunbookSummary::slug).containsExactlyInAnyOrder("payments-card-auth-outage",
                "ledger-reconciliation-failure", "identity-credential-stuffing", "api-gateway-tls-expiry",
                "kyc-vendor-outage", "warehouse-loader-backlog", "fraud-scoring-degraded");
        Set<String> services = catalog.services().stream().map(ServiceSummary::name).collect(Collectors.toSet());
        Set<String> teams = Set.copyOf(membership.allTeamNames());
        assertThat(runbooks.all()).allSatisfy(r -> {
            assertThat(services).containsAll(r.services());
            assertThat(teams).containsAll(r.teams());
            assertThat(runbooks.current(r.id()).content().steps()).hasSizeGreaterThanOrEqualTo(6);
            assertThat(runbooks.current(r.id()).content().roles()).isNotEmpty();
            assertThat(runbooks.current(r.id()).content().escalation()).isNotEmpty();
            assertThat(runbooks.current(r.id()).content().templates()).isNotEmpty();
        });

        // On 2026-11-26: api-gateway (reviewed 2026-04-20, every 180 days), kyc (2026-08-11, every 90 days)
        // and warehouse-loader (never reviewed) are stale.
        assertThat(figures.runbookFreshness(null, null)).isEqualTo(new Ratio(4, 7));
        assertThat(runbooks.all().stream().filter(RunbookSummary::stale).map(RunbookSummary::slug))
                .containsExactlyInAnyOrder("api-gateway-tls-expiry", "kyc-vendor-outage", "warehouse-loader-backlog");
        assertThat(figures.drillCoverage()).isEqualTo(new Ratio(0, 12));

        // The card-authorisation runbook names two tier-1 services: one drill covers both.
        long drill = drills.plan(runbooks.findBySlug("payments-card-auth-outage").orElseThrow().id(), null, "tabletop",
                null, true, "responder");
        clock.advance(Duration.ofMinutes(40));
        drills.finish(drill, "succeeded", null, "responder");
        assertThat(figures.drillCoverage()).isEqualTo(new Ratio(2, 12));
        assertThat(figures.drillCoverage(PlaybookFigures.DRILL_WINDOW, "payments", null)).isEqualTo(new Ratio(2, 5));
    }
}

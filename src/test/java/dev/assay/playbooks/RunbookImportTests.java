package dev.assay.playbooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.assay.DatabaseCleaner;
import dev.assay.collect.CollectionLauncher;
import dev.assay.collect.JobExecutions;
import dev.assay.collect.JobStatus;
import dev.assay.collect.Quarantine;
import dev.assay.collect.QuarantinedRecord;
import dev.assay.collect.Sources;
import dev.assay.common.PageRequest;
import dev.assay.playbooks.RunbookContent.ChecklistStep;
import dev.assay.playbooks.RunbookContent.EscalationContact;
import dev.assay.playbooks.RunbookContent.Role;

/**
 * The runbook import: the test runbooks (src/test/resources/playbooks/runbooks) through the real
 * files job, with three malformed files quarantined, and idempotency on re-collection.
 */
@PlaybooksIntegrationTest
class RunbookImportTests {

    @Autowired CollectionLauncher launcher;
    @Autowired JobExecutions executions;
    @Autowired Quarantine quarantine;
    @Autowired Runbooks runbooks;
    @Autowired Sources sources;
    @Autowired MutableClock clock;
    @Autowired DataSource dataSource;

    JdbcTemplate jdbc;

    @BeforeEach
    void cleanDatabase() {
        new DatabaseCleaner(dataSource).cleanAll();
        jdbc = new JdbcTemplate(dataSource);
        clock.set(PlaybookFixtures.NOW);
    }

    @Test
    void theTestSourcesAndTheMutableClockAreInPlace() {
        assertThat(sources.all()).extracting(s -> s.id())
                .containsExactly("playbooks-catalog", "playbooks-runbooks", "playbooks-conflict", "playbooks-demo-catalog",
                        "playbooks-demo-runbooks");
        assertThat(runbooks.all()).isEmpty();
    }

    @Test
    void importsEveryGoodRunbookAndQuarantinesEachMalformedOneWithItsReason() {
        JobStatus run = collect("playbooks-runbooks");

        assertThat(run.status()).isEqualTo("COMPLETED");
        assertThat(run.read()).isEqualTo(7);
        assertThat(run.written()).isEqualTo(4);
        assertThat(run.quarantined()).isEqualTo(3);
        assertThat(runbooks.all()).extracting(RunbookSummary::slug, RunbookSummary::currentVersion)
                .containsExactly(tuple("checkout-api-outage", 1), tuple("edge-tls-expiry", 1),
                        tuple("ledger-reconciliation", 1), tuple("login-credential-stuffing", 1));

        List<QuarantinedRecord> rejected = quarantine.list("playbooks-runbooks", Quarantine.OPEN, PageRequest.of(0, 50)).items();
        assertThat(rejected).extracting(QuarantinedRecord::location, QuarantinedRecord::kind).containsExactlyInAnyOrder(
                tuple("runbooks/broken-yaml.md", "runbook"), tuple("runbooks/unclosed.md", "runbook"),
                tuple("runbooks/unknown-field.md", "runbook"));
        assertThat(reason(rejected, "runbooks/unclosed.md"))
                .isEqualTo("the front matter is not closed: add a line '---' after its last field");
        assertThat(reason(rejected, "runbooks/unknown-field.md")).isEqualTo("unknown front-matter field 'step'; the fields"
                + " are runbook, title, services, teams, incident_types, review_interval_days, last_reviewed, roles,"
                + " escalation, templates, steps");
        assertThat(reason(rejected, "runbooks/broken-yaml.md")).startsWith("the front matter is not valid YAML: ");
        assertThat(rejected).allSatisfy(r -> assertThat(r.payload()).startsWith("---\nrunbook: "));
    }

    @Test
    void readsTheStructuredPartsFromFrontMatterAndBody() {
        collect("playbooks-runbooks");

        RunbookSummary checkout = runbooks.findBySlug("checkout-api-outage").orElseThrow();
        assertThat(checkout.title()).isEqualTo("Checkout API outage");
        assertThat(checkout.services()).containsExactly("checkout-api");
        assertThat(checkout.teams()).containsExactly("checkout");
        assertThat(checkout.incidentTypes()).containsExactly("degraded-performance", "outage");
        assertThat(checkout.sourceId()).isEqualTo("playbooks-runbooks");
        assertThat(checkout.sourceLocation()).isEqualTo("runbooks/checkout-api-outage.md");
        assertThat(checkout.lastReviewedAt()).hasToString("2026-02-01T00:00:00Z");
        assertThat(checkout.reviewDueAt()).hasToString("2026-05-02T00:00:00Z");
        assertThat(checkout.stale()).isFalse();

        RunbookContent content = runbooks.current(checkout.id()).content();
        assertThat(content.roles()).containsExactly(
                new Role("Incident commander", "checkout on-call primary", "Owns the incident and decides on failover."),
                new Role("Communications", "checkout team lead", null), new Role("Operations", null, null));
        assertThat(content.escalation()).containsExactly(
                new EscalationContact(1, "checkout on-call primary", 5, "PagerDuty PCHK001"),
                new EscalationContact(2, "checkout on-call secondary", 10, null),
                new EscalationContact(3, "Head of engineering", null, null));
        assertThat(content.templates()).singleElement().satisfies(t -> {
            assertThat(t.name()).isEqualTo("Status page");
            assertThat(t.audience()).isEqualTo("customers");
            assertThat(t.placeholders()).containsExactly("start_time", "next_update");
        });
        assertThat(content.steps()).containsExactly(
                new ChecklistStep(1, "Acknowledge the page and open the incident channel", 5, true),
                new ChecklistStep(2, "Check the error rate on the checkout dashboard", 10, false),
                new ChecklistStep(3, "Fail over to the secondary region", 15, true),
                new ChecklistStep(4, "Post the status page update", 5, false),
                new ChecklistStep(5, "Write the timeline", null, false));

        RunbookSummary ledger = runbooks.findBySlug("ledger-reconciliation").orElseThrow();
        assertThat(ledger.stale()).isTrue();
        assertThat(runbooks.current(ledger.id()).content().steps()).containsExactly(
                new ChecklistStep(1, "Stop the reconciliation job", 5, true),
                new ChecklistStep(2, "Compare ledger totals with the acquirer file", 30, false),
                new ChecklistStep(3, "Re-run reconciliation for the failed window", null, false));

        // No runbook: field: the slug is the file name; a single service / team may be a scalar.
        RunbookSummary login = runbooks.findBySlug("login-credential-stuffing").orElseThrow();
        assertThat(login.services()).containsExactly("login-api");
        assertThat(login.reviewIntervalDays()).isEqualTo(60);
        assertThat(login.stale()).isFalse();

        // Ordered task list under "### Steps to renew"; never reviewed, so stale.
        RunbookSummary edge = runbooks.findBySlug("edge-tls-expiry").orElseThrow();
        assertThat(edge.lastReviewedAt()).isNull();
        assertThat(edge.stale()).isTrue();
        assertThat(edge.reviewIntervalDays()).isEqualTo(90);
        assertThat(runbooks.current(edge.id()).content().steps()).containsExactly(
                new ChecklistStep(1, "Confirm which certificate expires", 5, false),
                new ChecklistStep(2, "Issue a new certificate", 20, true));
    }

    @Test
    void secondRunChangesNothing() {
        collect("playbooks-runbooks");
        String before = snapshot();
        int auditRows = count("audit_log");
        assertThat(auditRows).isEqualTo(4);

        clock.advanceSeconds(3600);
        JobStatus second = collect("playbooks-runbooks");

        assertThat(second.status()).isEqualTo("COMPLETED");
        assertThat(second.read()).isZero();
        assertThat(second.written()).isZero();
        assertThat(snapshot()).isEqualTo(before);
        assertThat(count("audit_log")).isEqualTo(auditRows);
        assertThat(count("runbook_version")).isEqualTo(4);
    }

    @Test
    void reimportAfterForgettingCursorsAddsNoVersionAndNoAuditLine() {
        collect("playbooks-runbooks");
        String before = snapshot();
        int auditRows = count("audit_log");
        jdbc.update("delete from collect_cursor");

        clock.advanceSeconds(3600);
        JobStatus second = collect("playbooks-runbooks");

        assertThat(second.read()).isEqualTo(7);
        assertThat(second.written()).isEqualTo(4);
        assertThat(snapshot()).isEqualTo(before);
        assertThat(count("audit_log")).isEqualTo(auditRows);
        assertThat(count("runbook_version")).isEqualTo(4);
        assertThat(jdbc.queryForList("select times_seen from quarantine", Integer.class)).containsOnly(2);
    }

    @Test
    void aChangedFileAddsAVersionButAnEditInAssayIsNotRevertedByTheUnchangedFile() {
        collect("playbooks-runbooks");
        RunbookSummary ledger = runbooks.findBySlug("ledger-reconciliation").orElseThrow();
        String imported = runbooks.current(ledger.id()).document();

        String edited = imported.replace("expected_minutes: 30", "expected_minutes: 20");
        runbooks.edit(ledger.id(), edited, "Comparing takes 20 minutes now", 1, false, "rita");
        jdbc.update("delete from collect_cursor");
        collect("playbooks-runbooks");
        assertThat(runbooks.findBySlug("ledger-reconciliation").orElseThrow().currentVersion()).isEqualTo(2);
        assertThat(runbooks.current(ledger.id()).document()).isEqualTo(edited);

        String changedFile = imported.replace("title: Ledger reconciliation failure", "title: Ledger reconciliation broken");
        assertThat(runbooks.importDocument("playbooks-runbooks", "runbooks/ledger-reconciliation.md", changedFile,
                runbooks.parse(changedFile, null))).contains(3);
        assertThat(runbooks.importDocument("playbooks-runbooks", "runbooks/ledger-reconciliation.md", changedFile,
                runbooks.parse(changedFile, null))).isEmpty();
        RunbookSummary after = runbooks.findBySlug("ledger-reconciliation").orElseThrow();
        assertThat(after.currentVersion()).isEqualTo(3);
        assertThat(after.title()).isEqualTo("Ledger reconciliation broken");
        assertThat(runbooks.history(ledger.id())).extracting(v -> v.number(), v -> v.author(), v -> v.origin(), v -> v.changeNote())
                .containsExactly(
                        tuple(3, "system:import:playbooks-runbooks", "import", "Imported from runbooks/ledger-reconciliation.md"),
                        tuple(2, "rita", "edit", "Comparing takes 20 minutes now"),
                        tuple(1, "system:import:playbooks-runbooks", "import", "Imported from runbooks/ledger-reconciliation.md"));
        assertThat(jdbc.queryForList("select action from audit_log where entity_id = 'ledger-reconciliation' order by id",
                String.class)).containsExactly("runbook.imported", "runbook.edited", "runbook.reimported");
    }

    @Test
    void anotherSourceCannotOverwriteARunbookItDoesNotImport() {
        collect("playbooks-runbooks");

        JobStatus conflict = collect("playbooks-conflict");

        assertThat(conflict.status()).isEqualTo("COMPLETED");
        assertThat(conflict.read()).isEqualTo(1);
        assertThat(conflict.written()).isEqualTo(1);
        assertThat(quarantine.list("playbooks-conflict", Quarantine.OPEN, PageRequest.of(0, 10)).items())
                .singleElement().satisfies(r -> {
                    assertThat(r.location()).isEqualTo("conflict/checkout-outage-copy.md");
                    assertThat(r.reason())
                            .isEqualTo("runbook 'checkout-api-outage' is already imported by source 'playbooks-runbooks'");
                    assertThat(r.jobExecutionId()).isEqualTo(conflict.executionId());
                });
        assertThat(conflict.quarantined()).isEqualTo(1);
        RunbookSummary checkout = runbooks.findBySlug("checkout-api-outage").orElseThrow();
        assertThat(checkout.currentVersion()).isEqualTo(1);
        assertThat(checkout.title()).isEqualTo("Checkout API outage");
    }

    private JobStatus collect(String sourceId) {
        return PlaybookFixtures.collect(launcher, executions, clock, sourceId);
    }

    private static String reason(List<QuarantinedRecord> records, String location) {
        return records.stream().filter(r -> r.location().equals(location)).findFirst().orElseThrow().reason();
    }

    private int count(String table) {
        return jdbc.queryForObject("select count(*) from " + table, Integer.class);
    }

    /** Every playbooks row with its timestamps: any update, even to the same values, would show. */
    private String snapshot() {
        return String.join("\n",
                jdbc.queryForList("select id, slug, title, current_version, review_interval_days, last_reviewed_at,"
                        + " last_reviewed_by, source_id, source_location, created_at, updated_at from runbook order by id").toString(),
                jdbc.queryForList("select id, runbook_id, version_number, content_sha256, author, created_at, change_note"
                        + " from runbook_version order by id").toString(),
                jdbc.queryForList("select runbook_id, kind, scope_value from runbook_scope order by runbook_id, kind, scope_value")
                        .toString());
    }
}

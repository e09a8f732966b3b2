package dev.assay.playbooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;

import dev.assay.catalog.Ratio;
import dev.assay.collect.CollectionLauncher;
import dev.assay.collect.JobExecutions;

/**
 * Drill coverage and runbook freshness on a hand-built organisation (src/test/resources/playbooks):
 * 5 operated tier-1 services (checkout-api, ledger, login-api, edge-proxy, orphan-batch), a tier-2
 * website and a library marked tier 1 that must never count; and the runbooks / drills API.
 */
@PlaybooksIntegrationTest
@WithMockUser(username = "exec", roles = "EXECUTIVE")
class PlaybookFiguresTests {

    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @Autowired MockMvc mvc;
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
    }

    @Test
    void drillCoverageCountsTierOneServicesWithAFinishedDrillInTheWindow() {
        assertThat(figures.drillCoverage()).isEqualTo(new Ratio(0, 5));

        drill("checkout-api-outage", "2026-05-20T10:00:00Z", Duration.ofMinutes(30));  // 12 days before NOW
        drill("ledger-reconciliation", "2026-02-20T10:00:00Z", Duration.ofMinutes(45)); // 101 days before NOW
        // Finished exactly 90 days before NOW: the window is (NOW - 90 days, NOW], so it is just out.
        drill("edge-tls-expiry", "2026-03-03T11:00:00Z", Duration.ofHours(1));
        clock.set("2026-05-30T08:00:00Z");
        long running = drills.plan(id("login-credential-stuffing"), null, "live", null, true, "ivan");
        RunbookSummary web = runbooks.create("---\nrunbook: web-outage\ntitle: Web outage\nservices: [checkout-web, checkout-sdk]\n"
                + "---\n## Steps\n- [ ] Roll back the CDN config\n", null, "olive");
        drill("web-outage", "2026-05-25T10:00:00Z", Duration.ofMinutes(10));

        clock.set(NOW);
        assertThat(figures.drillCoverage()).isEqualTo(new Ratio(1, 5));
        java.util.Map<String, Instant> detail = figures.drillCoverageDetail(PlaybookFigures.DRILL_WINDOW, null, null);
        assertThat(detail.keySet()).containsExactly("checkout-api", "edge-proxy", "ledger", "login-api", "orphan-batch");
        assertThat(detail.get("checkout-api")).isEqualTo("2026-05-20T10:30:00Z");
        assertThat(detail.values()).filteredOn(java.util.Objects::isNull).hasSize(4);
        assertThat(figures.drillCoverage(PlaybookFigures.DRILL_WINDOW, "checkout", null)).isEqualTo(new Ratio(1, 2));
        assertThat(figures.drillCoverage(PlaybookFigures.DRILL_WINDOW, "platform", null)).isEqualTo(new Ratio(0, 1));
        assertThat(figures.drillCoverage(PlaybookFigures.DRILL_WINDOW, null, "ledger")).isEqualTo(new Ratio(0, 1));
        assertThat(figures.drillCoverage(PlaybookFigures.DRILL_WINDOW, null, "checkout-web")).isEqualTo(new Ratio(0, 0));
        assertThat(figures.drillCoverage(PlaybookFigures.DRILL_WINDOW, null, "checkout-web").ratio()).isNull();
        assertThat(figures.drillCoverage(Duration.ofDays(7), null, null)).isEqualTo(new Ratio(0, 5));
        assertThat(figures.drillCoverage(Duration.ofDays(365), null, null)).isEqualTo(new Ratio(3, 5));

        // One second earlier, the edge drill is 1 second inside the window.
        clock.set(NOW.minusSeconds(1));
        assertThat(figures.drillCoverage()).isEqualTo(new Ratio(2, 5));

        // The running drill counts once it finishes.
        clock.set(NOW);
        drills.finish(running, "succeeded", null, "ivan");
        assertThat(figures.drillCoverage()).isEqualTo(new Ratio(2, 5));
        assertThat(figures.drillCoverage(PlaybookFigures.DRILL_WINDOW, "identity", null)).isEqualTo(new Ratio(1, 1));
        assertThat(web.services()).containsExactly("checkout-sdk", "checkout-web");
        assertThatThrownBy(() -> figures.drillCoverage(Duration.ZERO, null, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void runbookFreshnessCountsRunbooksReviewedWithinTheirInterval() {
        // At import (2026-03-01): checkout (reviewed 02-01, every 90 days) and login (01-15, every 60 days)
        // are fresh; ledger (2025-06-01) is stale and edge was never reviewed.
        assertThat(figures.runbookFreshness(null, null)).isEqualTo(new Ratio(2, 4));
        assertThat(figures.runbookFreshness("checkout", null)).isEqualTo(new Ratio(1, 2));
        assertThat(figures.runbookFreshness("identity", null)).isEqualTo(new Ratio(1, 1));
        assertThat(figures.runbookFreshness(null, "edge-proxy")).isEqualTo(new Ratio(0, 1));
        assertThat(figures.runbookFreshness("nobody", null)).isEqualTo(new Ratio(0, 0));

        clock.set("2026-03-16T00:00:00Z");
        assertThat(figures.runbookFreshness(null, null)).isEqualTo(new Ratio(2, 4));
        clock.set("2026-03-16T00:00:01Z");
        assertThat(figures.runbookFreshness(null, null)).isEqualTo(new Ratio(1, 4));

        clock.set(NOW);
        assertThat(figures.runbookFreshness(null, null)).isEqualTo(new Ratio(0, 4));
        runbooks.markReviewed(id("edge-tls-expiry"), "sec");
        assertThat(figures.runbookFreshness(null, null)).isEqualTo(new Ratio(1, 4));
    }

    @Test
    void thePlaybooksPageShowsTheFigures() throws Exception {
        drill("checkout-api-outage", "2026-02-27T10:00:00Z", Duration.ofMinutes(30));
        clock.set("2026-03-01T12:00:00Z");
        mvc.perform(get("/runbooks")).andExpect(status().isOk())
                .andExpect(content().string(containsString("<p class=\"figure-value\" id=\"drill-coverage\">20.0%</p>")))
                .andExpect(content().string(containsString("<p class=\"figure-value\" id=\"runbook-freshness\">50.0%</p>")))
                .andExpect(content().string(containsString("<li><a href=\"/services/ledger\">ledger</a></li>")));
    }

    @Test
    void theRunbooksApiIsPagedFilterableAndHasACsvVariant() throws Exception {
        mvc.perform(get("/api/v1/runbooks"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.total").value(4))
                .andExpect(jsonPath("$.page").value(0))
                .andExpect(jsonPath("$.size").value(50))
                .andExpect(jsonPath("$.items[0].slug").value("checkout-api-outage"))
                .andExpect(jsonPath("$.items[0].current_version").value(1))
                .andExpect(jsonPath("$.items[0].review_interval_days").value(90))
                .andExpect(jsonPath("$.items[0].incident_types[0]").value("degraded-performance"))
                .andExpect(jsonPath("$.items[0].last_reviewed_at").value("2026-02-01T00:00:00Z"))
                .andExpect(jsonPath("$.items[0].review_due_at").value("2026-05-02T00:00:00Z"))
                .andExpect(jsonPath("$.items[0].stale").value(false))
                .andExpect(jsonPath("$.items[0].source_id").value("playbooks-runbooks"));
        mvc.perform(get("/api/v1/runbooks").param("team", "checkout")).andExpect(jsonPath("$.total").value(2));
        mvc.perform(get("/api/v1/runbooks").param("stale", "true")).andExpect(jsonPath("$.total").value(2))
                .andExpect(jsonPath("$.items[0].slug").value("edge-tls-expiry"));
        mvc.perform(get("/api/v1/runbooks").param("service", "login-api"))
                .andExpect(jsonPath("$.items[0].slug").value("login-credential-stuffing"));
        mvc.perform(get("/api/v1/runbooks").param("size", "1").param("page", "3")).andExpect(jsonPath("$.total").value(4))
                .andExpect(jsonPath("$.items[0].slug").value("login-credential-stuffing"));
        mvc.perform(get("/api/v1/runbooks").param("size", "0")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("size must be between 1 and 500, was 0"));

        String csv = mvc.perform(get("/api/v1/runbooks.csv").param("team", "checkout")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(csv.split("\r\n")).containsExactly(
                "id,slug,title,services,teams,incident_types,current_version,review_interval_days,last_reviewed_at,"
                        + "review_due_at,stale,updated_at,source_id",
                id("checkout-api-outage") + ",checkout-api-outage,Checkout API outage,checkout-api,checkout,"
                        + "degraded-performance outage,1,90,2026-02-01T00:00:00Z,2026-05-02T00:00:00Z,false,"
                        + "2026-03-01T09:00:02Z,playbooks-runbooks",
                id("ledger-reconciliation") + ",ledger-reconciliation,Ledger reconciliation failure,ledger,,data-integrity,"
                        + "1,90,2025-06-01T00:00:00Z,2025-08-30T00:00:00Z,true,2026-03-01T09:00:02Z,playbooks-runbooks");
    }

    @Test
    void theDrillsApiListsDrillsWithTheirTimings() throws Exception {
        long finished = drill("checkout-api-outage", "2026-02-27T10:00:00Z", Duration.ofMinutes(30));
        clock.set("2026-03-01T11:00:00Z");
        long running = drills.plan(id("login-credential-stuffing"), null, "live", null, true, "ivan");

        mvc.perform(get("/api/v1/drills"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.total").value(2))
                .andExpect(jsonPath("$.items[0].id").value(running))
                .andExpect(jsonPath("$.items[0].status").value("running"))
                .andExpect(jsonPath("$.items[0].elapsed_s").doesNotExist())
                .andExpect(jsonPath("$.items[1].id").value(finished))
                .andExpect(jsonPath("$.items[1].runbook").value("checkout-api-outage"))
                .andExpect(jsonPath("$.items[1].outcome").value("succeeded"))
                .andExpect(jsonPath("$.items[1].elapsed_s").value(1800))
                .andExpect(jsonPath("$.items[1].steps").value(5))
                .andExpect(jsonPath("$.items[1].steps_completed").value(1))
                .andExpect(jsonPath("$.items[1].services[0]").value("checkout-api"));
        mvc.perform(get("/api/v1/drills").param("status", "finished")).andExpect(jsonPath("$.total").value(1));
        mvc.perform(get("/api/v1/drills").param("team", "identity")).andExpect(jsonPath("$.total").value(1))
                .andExpect(jsonPath("$.items[0].id").value(running));
        mvc.perform(get("/api/v1/drills").param("service", "checkout-api")).andExpect(jsonPath("$.total").value(1));
        mvc.perform(get("/api/v1/drills").param("runbook", "ledger-reconciliation")).andExpect(jsonPath("$.total").value(0));
        mvc.perform(get("/api/v1/drills").param("status", "done")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("status must be planned, running or finished"));
        String csv = mvc.perform(get("/api/v1/drills").param("status", "finished").header("Accept", "text/csv"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(csv.split("\r\n")).containsExactly(
                "id,runbook,runbook_version,kind,status,outcome,services,teams,created_at,started_at,finished_at,elapsed_s,"
                        + "steps,steps_completed,steps_skipped",
                finished + ",checkout-api-outage,1,tabletop,finished,succeeded,checkout-api,checkout,2026-02-27T10:00:00Z,"
                        + "2026-02-27T10:00:00Z,2026-02-27T10:30:00Z,1800,5,1,0");
    }

    /** A tabletop drill of a runbook's current version, started at {@code start}, one step done, finished after {@code length}. */
    private long drill(String slug, String start, Duration length) {
        clock.set(start);
        long drill = drills.plan(id(slug), null, "tabletop", null, true, "sec");
        drills.startStep(drill, 1, "sec");
        clock.advance(length);
        drills.completeStep(drill, 1, null, "sec");
        drills.finish(drill, "succeeded", null, "sec");
        return drill;
    }

    private long id(String slug) {
        return PlaybookFixtures.runbookId(jdbc, slug);
    }
}

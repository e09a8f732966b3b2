package dev.assay.playbooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import dev.assay.collect.CollectionLauncher;
import dev.assay.collect.JobExecutions;
import dev.assay.playbooks.DrillDetail.Step;

/**
 * A whole drill through the pages, with the clock moved by hand: the state machine (planned →
 * running → finished; pending → started → completed, or skipped with a reason), every illegal move
 * refused with 409 / 400 / 404 and a message, the timings per step and overall, the report, and
 * the events for the incidents and findings features.
 */
@PlaybooksIntegrationTest
@WithMockUser(username = "rita", roles = "RESPONDER")
class DrillLifecycleTests {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Autowired MockMvc mvc;
    @Autowired Drills drills;
    @Autowired Runbooks runbooks;
    @Autowired CollectionLauncher launcher;
    @Autowired JobExecutions executions;
    @Autowired MutableClock clock;
    @Autowired DataSource dataSource;
    @Autowired ApplicationEvents events;

    JdbcTemplate jdbc;
    long checkout;

    @BeforeEach
    void importPlaybooks() {
        PlaybookFixtures.cleanAndImport(dataSource, launcher, executions, clock);
        jdbc = new JdbcTemplate(dataSource);
        checkout = PlaybookFixtures.runbookId(jdbc, "checkout-api-outage");
        clock.set(T0);
    }

    @Test
    void aWholeDrillWithTimingsRefusingEveryIllegalMove() throws Exception {
        long id = plan(checkout, false);
        DrillDetail planned = drills.require(id);
        assertThat(planned.status()).isEqualTo("planned");
        assertThat(planned.kind()).isEqualTo("tabletop");
        assertThat(planned.runbookVersion()).isEqualTo(1);
        assertThat(planned.services()).containsExactly("checkout-api");
        assertThat(planned.steps()).extracting(Step::position, Step::title, Step::expectedMinutes, Step::critical, Step::status)
                .containsExactly(tuple(1, "Acknowledge the page and open the incident channel", 5, true, "pending"),
                        tuple(2, "Check the error rate on the checkout dashboard", 10, false, "pending"),
                        tuple(3, "Fail over to the secondary region", 15, true, "pending"),
                        tuple(4, "Post the status page update", 5, false, "pending"),
                        tuple(5, "Write the timeline", null, false, "pending"));

        conflict(post("/drills/{id}/steps/1/start", id), "Drill " + id + " has not started yet; start the drill before you start step 1");
        conflict(post("/drills/{id}/finish", id).param("outcome", "succeeded"), "has not started yet");

        ok(post("/drills/{id}/start", id), "/drills/" + id);
        conflict(post("/drills/{id}/start", id), "Drill " + id + " is already running (since 2026-03-01T10:00:00Z)");

        ok(post("/drills/{id}/participants", id).param("role", "Incident commander", "Communications", "Operations", "Observer")
                .param("people", "rita", "olive, bob", "", "eve"), "/drills/" + id + "#participants");

        at(1);
        ok(post("/drills/{id}/steps/1/start", id), "/drills/" + id + "#step-1");
        conflict(post("/drills/{id}/steps/1/start", id), "Step 1 was already started (started at 2026-03-01T10:01:00Z); only a pending step can be started");
        conflict(post("/drills/{id}/steps/2/complete", id), "Step 2 has not been started; start it before completing it");
        at(7);
        ok(post("/drills/{id}/steps/1/complete", id).param("notes", "Paged in 40 s"), "/drills/" + id + "#step-1");
        ok(post("/drills/{id}/steps/2/start", id), "/drills/" + id + "#step-2");
        bad(post("/drills/{id}/steps/2/skip", id).param("reason", "   "), "skipping step 2 needs a reason");
        at(9);
        ok(post("/drills/{id}/steps/2/skip", id).param("reason", "Dashboard is down in the tabletop scenario"),
                "/drills/" + id + "#step-2");
        conflict(post("/drills/{id}/steps/2/complete", id), "Step 2 is already skipped; it cannot be completed");
        conflict(post("/drills/{id}/steps/1/skip", id).param("reason", "late"), "Step 1 is already completed; it cannot be skipped");
        notFound(post("/drills/{id}/steps/9/start", id), "Drill " + id + " has no step 9");
        ok(post("/drills/{id}/steps/3/start", id), "/drills/" + id + "#step-3");

        // While running, a step's and the drill's elapsed times run up to now.
        at(20);
        mvc.perform(get("/drills/{id}", id)).andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("<strong id=\"drill-elapsed\">20 min 00 s</strong>"),
                        containsString("<strong class=\"step-elapsed\">11 min 00 s</strong>"),
                        containsString("<span class=\"status bad\">late by 1 min 00 s</span>"),
                        containsString("aria-label=\"Complete step 3\""), containsString("aria-label=\"Start step 4\""))));
        DrillDetail running = drills.require(id);
        assertThat(running.elapsedSeconds()).isEqualTo(1200);
        assertThat(running.steps()).extracting(Step::status, Step::elapsedSeconds, Step::late).containsExactly(
                tuple("completed", 360L, true), tuple("skipped", 120L, false), tuple("started", 660L, false),
                tuple("pending", null, false), tuple("pending", null, false));
        assertThat(running.participants()).extracting(DrillDetail.Participant::role, DrillDetail.Participant::name)
                .containsExactly(tuple("Communications", "bob"), tuple("Communications", "olive"),
                        tuple("Incident commander", "rita"), tuple("Observer", "eve"));

        at(21);
        ok(post("/drills/{id}/steps/3/complete", id), "/drills/" + id + "#step-3");
        bad(post("/drills/{id}/finish", id).param("outcome", "great"), "outcome must be one of succeeded, partial, failed");
        at(25);
        ok(post("/drills/{id}/finish", id).param("outcome", "partial").param("lessons", "Failover needs a runbook of its own."),
                "/drills/" + id);

        conflict(post("/drills/{id}/steps/4/start", id), "Drill " + id + " finished at 2026-03-01T10:25:00Z; a finished drill can no longer change");
        conflict(post("/drills/{id}/finish", id).param("outcome", "failed"), "a finished drill can no longer change");
        conflict(post("/drills/{id}/start", id), "a finished drill can no longer change");
        conflict(post("/drills/{id}/participants", id).param("role", "Scribe").param("people", "x"), "a finished drill can no longer change");

        // Follow-up actions come after (or during) a drill that ran.
        bad(post("/drills/{id}/actions", id).param("title", "Automate failover").param("owner", "checkout").param("due", "2026-02-28"),
                "the due date 2026-02-28 is in the past");
        bad(post("/drills/{id}/actions", id).param("title", "Automate failover").param("owner", "checkout").param("due", "soon"),
                "the due date must be a date such as 2026-03-31");
        ok(post("/drills/{id}/actions", id).param("title", "Automate failover").param("owner", "checkout").param("due", "2026-03-31"),
                "/drills/" + id + "#actions");

        DrillReport report = drills.report(id);
        assertThat(report.drill().status()).isEqualTo("finished");
        assertThat(report.drill().outcome()).isEqualTo("partial");
        assertThat(report.drill().startedAt()).isEqualTo(T0);
        assertThat(report.drill().finishedAt()).isEqualTo(T0.plus(Duration.ofMinutes(25)));
        assertThat(report.drill().elapsedSeconds()).isEqualTo(1500);
        assertThat(report.completed()).isEqualTo(2);
        assertThat(report.skipped()).isEqualTo(1);
        assertThat(report.notDone()).isEqualTo(2);
        assertThat(report.lateSteps()).extracting(Step::position, Step::overBySeconds).containsExactly(tuple(1, 60L));
        assertThat(report.criticalMissed()).isEmpty();
        assertThat(report.expectedSeconds()).isEqualTo((5 + 10 + 15 + 5) * 60L);
        assertThat(report.stepSeconds()).isEqualTo(360 + 120 + 720);
        assertThat(report.drill().actions()).extracting(DrillDetail.Action::title, DrillDetail.Action::owner, DrillDetail.Action::dueOn)
                .containsExactly(tuple("Automate failover", "checkout", LocalDate.parse("2026-03-31")));

        mvc.perform(get("/drills/{id}/report", id)).andExpect(status().isOk())
                .andExpect(content().string(allOf(
                        containsString("<dd id=\"step-counts\">2 completed, 1 skipped, 2 not done, 1 late</dd>"),
                        containsString("<dd id=\"total-elapsed\">25 min 00 s</dd>"),
                        containsString("<span id=\"step-time\">20 min 00 s</span>"),
                        containsString("Dashboard is down in the tabletop scenario"),
                        containsString("Failover needs a runbook of its own."),
                        containsString("<td>Automate failover</td><td>checkout</td>"))));

        assertThat(events.stream(DrillStarted.class)).singleElement().satisfies(e -> {
            assertThat(e.drillId()).isEqualTo(id);
            assertThat(e.runbookSlug()).isEqualTo("checkout-api-outage");
            assertThat(e.startedAt()).isEqualTo(T0);
            assertThat(e.services()).containsExactly("checkout-api");
        });
        assertThat(events.stream(DrillFinished.class)).singleElement().isEqualTo(new DrillFinished(id, checkout,
                "checkout-api-outage", 1, "tabletop", "partial", java.util.List.of("checkout-api"), java.util.List.of("checkout"),
                T0, T0.plus(Duration.ofMinutes(25)), 2, 1, 2, 1, "rita"));
        assertThat(events.stream(DrillActionRaised.class)).singleElement().satisfies(e -> {
            assertThat(e.title()).isEqualTo("Automate failover");
            assertThat(e.owner()).isEqualTo("checkout");
            assertThat(e.dueOn()).isEqualTo(LocalDate.parse("2026-03-31"));
            assertThat(e.raisedBy()).isEqualTo("rita");
            assertThat(e.runbookSlug()).isEqualTo("checkout-api-outage");
        });
        assertThat(jdbc.queryForList("select service_name || ' ' || rule_id || ' ' || severity || ' ' || status || ' ' || title"
                + " from finding", String.class)).containsExactly(
                        "checkout-api drill-action-item medium open Drill action item: Automate failover");
        assertThat(jdbc.queryForList("select action from audit_log where entity_type = 'drill' order by id", String.class))
                .containsExactly("drill.planned", "drill.started", "drill.participants-assigned", "drill.step-started",
                        "drill.step-completed", "drill.step-started", "drill.step-skipped", "drill.step-started",
                        "drill.step-completed", "drill.finished", "drill.action-raised");
    }

    @Test
    void aDrillPractisesTheVersionItWasStartedFrom() throws Exception {
        String v1 = runbooks.current(checkout).document();
        runbooks.edit(checkout, v1.replace("- [ ] Write the timeline\n", ""), "timeline is automatic now", 1, false, "rita");

        long ofV1 = drills.plan(checkout, 1, "live", null, true, "rita");
        long ofCurrent = drills.plan(checkout, null, "live", null, true, "rita");

        assertThat(drills.require(ofV1).steps()).hasSize(5);
        assertThat(drills.require(ofV1).runbookVersion()).isEqualTo(1);
        assertThat(drills.require(ofCurrent).steps()).hasSize(4);
        assertThat(drills.require(ofCurrent).runbookVersion()).isEqualTo(2);
        assertThat(drills.require(ofCurrent).status()).isEqualTo("running");
        assertThat(drills.require(ofCurrent).startedAt()).isEqualTo(T0);
    }

    @Test
    void startingADrillNeedsAKnownKindAVersionAndAChecklist() throws Exception {
        bad(post("/runbooks/{id}/drills", checkout).param("kind", "simulation"), "kind must be tabletop or live");
        notFound(post("/runbooks/{id}/drills", checkout).param("kind", "live").param("version", "4"),
                "Runbook &#39;checkout-api-outage&#39; has no version 4 (it has versions 1 to 1)");
        RunbookSummary noSteps = runbooks.create("---\nrunbook: no-steps\ntitle: No steps\nteams: [checkout]\n---\nJust prose.\n",
                null, "rita");
        bad(post("/runbooks/{id}/drills", noSteps.id()).param("kind", "live"),
                "version 1 of &#39;no-steps&#39; has no checklist steps; a drill steps through a checklist");
        assertThat(jdbc.queryForObject("select count(*) from drill", Integer.class)).isZero();
        assertThatThrownBy(() -> drills.plan(checkout, null, "live", "x".repeat(2001), false, "rita"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("the scenario is longer than 2000 characters");
        notFound(get("/drills/{id}", 999_999), "No drill 999999");
    }

    private long plan(long runbookId, boolean begin) throws Exception {
        String location = mvc.perform(post("/runbooks/{id}/drills", runbookId).with(csrf()).param("kind", "tabletop")
                        .param("scenario", "The primary region loses its database").param("begin", String.valueOf(begin)))
                .andExpect(status().isFound()).andReturn().getResponse().getRedirectedUrl();
        return Long.parseLong(location.substring("/drills/".length()));
    }

    private void at(int minutes) {
        clock.set(T0.plus(Duration.ofMinutes(minutes)));
    }

    private void ok(MockHttpServletRequestBuilder request, String redirect) throws Exception {
        mvc.perform(request.with(csrf())).andExpect(status().isFound()).andExpect(redirectedUrl(redirect));
    }

    private ResultActions conflict(MockHttpServletRequestBuilder request, String message) throws Exception {
        return mvc.perform(request.with(csrf())).andExpect(status().isConflict())
                .andExpect(content().string(containsString(message)));
    }

    private void bad(MockHttpServletRequestBuilder request, String message) throws Exception {
        mvc.perform(request.with(csrf())).andExpect(status().isBadRequest()).andExpect(content().string(containsString(message)));
    }

    private void notFound(MockHttpServletRequestBuilder request, String message) throws Exception {
        mvc.perform(request.with(csrf())).andExpect(status().isNotFound()).andExpect(content().string(containsString(message)));
    }
}

package dev.assay.incidents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import dev.assay.playbooks.Drills;
import dev.assay.playbooks.RunbookSummary;
import dev.assay.playbooks.Runbooks;

/**
 * During a real incident the responders link the runbook they follow and tick its checklist off
 * with timestamps; a drill of a runbook gets its own {@code is_drill} incident, which never counts
 * in production MTTx.
 */
class IncidentChecklistTests extends IncidentTestSupport {

    static final RequestPostProcessor ALICE = user("alice").roles("SERVICE_OWNER");   // member of payments
    static final RequestPostProcessor BOB = user("bob").roles("RESPONDER");          // member of identity
    static final RequestPostProcessor EXECUTIVE = user("erin").roles("EXECUTIVE");
    static final RequestPostProcessor PUSHER = user("ci").roles("ADMIN");

    static final String RUNBOOK = """
            ---
            runbook: checkout-errors
            title: Checkout errors
            services: [payments-api]
            teams: [payments]
            review_interval_days: 90
            ---
            # Checkout errors

            ## Checklist

            - [ ] Open the incident channel (5 min, critical)
            - [ ] Check the <b>error</b> dashboard (10 min)
            - [ ] Roll back the last deployment (15 min)
            """;

    @Autowired MockMvc mvc;
    @Autowired Runbooks runbooks;
    @Autowired Drills drills;
    @Autowired IncidentFigures figures;

    long incident;
    RunbookSummary runbook;

    @BeforeEach
    void anIncidentAndARunbookOfPaymentsApi() throws Exception {
        collect("inc-catalog");
        clock.set(Instant.parse("2024-05-20T10:14:00Z"));
        mvc.perform(post("/api/v1/ingest/incident").with(PUSHER).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                .content("{\"schema\": \"assay.incident/v1\", \"id\": \"INC-7\", \"title\": \"Checkout errors\","
                        + " \"severity\": \"sev1\", \"services\": [\"payments-api\"], \"detected_at\": \"2024-05-20T10:14:00Z\"}"))
                .andExpect(status().isAccepted());
        incident = jdbc.queryForObject("select id from incident where external_id = 'INC-7'", Long.class);
        runbook = runbooks.create(RUNBOOK, "first version", "alice");
    }

    @Test
    void theOwningTeamLinksTheRunbookAndTicksItsStepsWithTimestamps() throws Exception {
        mvc.perform(get("/incidents/" + incident).with(ALICE)).andExpect(status().isOk())
                .andExpect(content().string(containsString("No runbook is linked to this incident.")))
                .andExpect(content().string(containsString("Checkout errors (checkout-errors)")));

        mvc.perform(post("/incidents/" + incident + "/runbook").with(ALICE).with(csrf()).param("runbook", "checkout-errors"))
                .andExpect(flash().attribute("message", "Runbook linked."));
        clock.set(Instant.parse("2024-05-20T10:20:00Z"));
        mvc.perform(post("/incidents/" + incident + "/checklist/1/done").with(ALICE).with(csrf()).param("note", "#inc-checkout"))
                .andExpect(flash().attribute("message", "Step 1 done."));
        clock.set(Instant.parse("2024-05-20T10:31:00Z"));
        mvc.perform(post("/incidents/" + incident + "/checklist/2/done").with(ALICE).with(csrf()))
                .andExpect(flash().attribute("message", "Step 2 done."));
        // ticking again changes nothing
        clock.set(Instant.parse("2024-05-20T10:40:00Z"));
        mvc.perform(post("/incidents/" + incident + "/checklist/2/done").with(ALICE).with(csrf()));

        assertThat(jdbc.queryForList("select position || ' ' || step_title || ' ' || cast(done_at as varchar) || ' ' || done_by"
                + " || ' ' || coalesce(note, '-') from incident_checklist_step order by position", String.class)).containsExactly(
                        "1 Open the incident channel 2024-05-20 10:20:00+00 alice #inc-checkout",
                        "2 Check the <b>error</b> dashboard 2024-05-20 10:31:00+00 alice -");
        assertThat(jdbc.queryForList("select action from audit_log where entity_type = 'incident' order by id", String.class))
                .containsExactly("incident.ingested", "incident.runbook-linked", "incident.checklist-step-done",
                        "incident.checklist-step-done");

        mvc.perform(get("/incidents/" + incident).with(EXECUTIVE)).andExpect(status().isOk())
                .andExpect(content().string(containsString("2 of 3 steps done")))
                .andExpect(content().string(containsString("2024-05-20 10:20:00 UTC by alice")))
                .andExpect(content().string(containsString("(6 min after detection)")))
                .andExpect(content().string(containsString("(17 min after detection)")))
                // the step text is escaped; an executive sees the checklist but no buttons
                .andExpect(content().string(containsString("Check the &lt;b&gt;error&lt;/b&gt; dashboard")))
                .andExpect(content().string(not(containsString("id=\"done-3\""))));
        mvc.perform(get("/incidents/" + incident).with(ALICE))
                .andExpect(content().string(containsString("id=\"done-3\"")))
                .andExpect(content().string(not(containsString("id=\"done-1\""))));
    }

    @Test
    void othersAreRefusedAndBadInputGetsAReason() throws Exception {
        mvc.perform(post("/incidents/" + incident + "/runbook").with(BOB).with(csrf()).param("runbook", "checkout-errors"))
                .andExpect(status().isForbidden());
        mvc.perform(post("/incidents/" + incident + "/runbook").with(EXECUTIVE).with(csrf()).param("runbook", "checkout-errors"))
                .andExpect(status().isForbidden());
        mvc.perform(post("/incidents/" + incident + "/checklist/1/done").with(ALICE).with(csrf()))
                .andExpect(flash().attribute("error", "Link a runbook to the incident before ticking its checklist"));
        mvc.perform(post("/incidents/" + incident + "/runbook").with(ALICE).with(csrf()).param("runbook", "no-such-runbook"))
                .andExpect(flash().attribute("error", "No runbook 'no-such-runbook'"));
        mvc.perform(post("/incidents/" + incident + "/runbook").with(ALICE).with(csrf()).param("runbook", String.valueOf(runbook.id())))
                .andExpect(flash().attribute("message", "Runbook linked."));
        mvc.perform(post("/incidents/" + incident + "/checklist/9/done").with(ALICE).with(csrf()))
                .andExpect(flash().attribute("error", "The runbook has no step 9"));
        mvc.perform(post("/incidents/" + incident + "/checklist/1/done").with(BOB).with(csrf())).andExpect(status().isForbidden());
        mvc.perform(post("/incidents/" + incident + "/checklist/1/done").with(ALICE)).andExpect(status().isForbidden());
        assertThat(count("select count(*) from incident_checklist_step")).isZero();
        mvc.perform(post("/incidents/999999/checklist/1/done").with(ALICE).with(csrf())).andExpect(status().isNotFound());
    }

    @Test
    void aDrillHasItsOwnDrillIncidentThatNeverCountsInProductionFigures() {
        Instant start = Instant.parse("2024-05-21T09:00:00Z");
        clock.set(start);
        long drill = drills.plan(runbook.id(), null, "tabletop", "Checkout errors in the tabletop", true, "alice");
        assertThat(jdbc.queryForMap("select title, is_drill, status, source_id, runbook_id from incident where external_id = ?",
                "drill-" + drill)).containsEntry("title", "Drill (tabletop): checkout-errors v1").containsEntry("is_drill", true)
                .containsEntry("status", "running").containsEntry("source_id", "drills").containsEntry("runbook_id", runbook.id());

        clock.set(start.plus(Duration.ofMinutes(25)));
        drills.finish(drill, "succeeded", "Went well", "alice");

        assertThat(jdbc.queryForList("select status || ' ' || cast(detected_at as varchar) || ' ' || cast(resolved_at as varchar)"
                + " from incident where external_id = ?", String.class, "drill-" + drill))
                .containsExactly("finished: succeeded 2024-05-21 09:00:00+00 2024-05-21 09:25:00+00");
        assertThat(jdbc.queryForList("select s.service_name from incident_service s join incident i on i.id = s.incident_id"
                + " where i.external_id = ?", String.class, "drill-" + drill)).containsExactly("payments-api");
        // production MTTR knows only INC-7 (which is not resolved yet): the drill is not in it
        assertThat(figures.figure("mttr", "P30D", null, null, null).n()).isZero();
    }
}

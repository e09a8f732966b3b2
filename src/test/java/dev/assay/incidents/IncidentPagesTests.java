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
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * The incident pages and API through MockMvc with the real security rules: lists and figures, the
 * incident page's durations in words, reviews with object-level checks, CSV, and push ingestion.
 */
@RecordApplicationEvents
class IncidentPagesTests extends IncidentTestSupport {

    static final RequestPostProcessor EXECUTIVE = user("erin").roles("EXECUTIVE");
    static final RequestPostProcessor ALICE = user("alice").roles("SERVICE_OWNER");   // member of payments
    static final RequestPostProcessor BOB = user("bob").roles("RESPONDER");          // member of identity
    static final RequestPostProcessor SECURITY = user("sec").roles("SECURITY");
    static final RequestPostProcessor PUSHER = user("ci").roles("ADMIN");

    @Autowired MockMvc mvc;
    @Autowired Incidents incidents;
    @Autowired IncidentFigures figures;
    @Autowired ApplicationEvents events;

    long checkout;

    @BeforeEach
    void anIncidentOfPaymentsApi() throws Exception {
        collect("inc-catalog");
        clock.set(Instant.parse("2024-06-01T00:00:00Z"));
        push("{\"schema\": \"assay.incident/v1\", \"id\": \"INC-7\", \"title\": \"Checkout <b>errors</b>\","
                + " \"severity\": \"sev1\", \"services\": [\"payments-api\"], \"started_at\": \"2024-05-20T10:00:00Z\","
                + " \"detected_at\": \"2024-05-20T10:14:00Z\", \"acknowledged_at\": \"2024-05-20T10:17:30Z\","
                + " \"mitigated_at\": \"2024-05-20T11:26:00Z\", \"resolved_at\": \"2024-05-20T12:00:00Z\","
                + " \"events\": [{\"at\": \"2024-05-20T10:30:00+02:00\", \"kind\": \"note\", \"actor\": \"alice\","
                + " \"summary\": \"Paged the database team\"}]}");
        push("{\"schema\": \"assay.incident/v1\", \"id\": \"INC-8\", \"title\": \"Login slow\", \"severity\": \"sev2\","
                + " \"services\": [\"identity-api\"], \"detected_at\": \"2024-05-21T09:00:00Z\"}");
        checkout = jdbc.queryForObject("select id from incident where external_id = 'INC-7'", Long.class);
    }

    @Test
    void theListShowsFiguresDistributionsAndExcludedIncidents() throws Exception {
        mvc.perform(get("/incidents").with(EXECUTIVE)).andExpect(status().isOk())
                .andExpect(content().string(containsString("MTTR")))
                .andExpect(content().string(containsString("<svg class=\"strip-plot\"")))
                .andExpect(content().string(containsString("role=\"img\"")))
                .andExpect(content().string(containsString("Too few incidents (n = 1, at least 5 needed): no trend is shown")))
                .andExpect(content().string(containsString("Excluded from MTTR: 1 incident")))
                .andExpect(content().string(containsString("not mitigated or resolved yet")))
                // collected text is escaped
                .andExpect(content().string(containsString("Checkout &lt;b&gt;errors&lt;/b&gt;")))
                .andExpect(content().string(not(containsString("<b>errors</b>"))));
        mvc.perform(get("/incidents").param("team", "identity").with(EXECUTIVE)).andExpect(status().isOk())
                .andExpect(content().string(containsString("Login slow")))
                .andExpect(content().string(not(containsString("Checkout &lt;b&gt;"))));
        mvc.perform(get("/incidents").param("window", "ninety days").with(EXECUTIVE)).andExpect(status().isBadRequest());
    }

    @Test
    void theIncidentPageSpellsOutTheDurations() throws Exception {
        mvc.perform(get("/incidents/" + checkout).with(EXECUTIVE)).andExpect(status().isOk())
                .andExpect(content().string(containsString("Detected 14 min after impact began.")))
                .andExpect(content().string(containsString("Acknowledged 3 min 30 s after detection.")))
                .andExpect(content().string(containsString("Mitigated 1 h 12 min after detection.")))
                .andExpect(content().string(containsString("Resolved 34 min after mitigation.")))
                .andExpect(content().string(containsString("2024-05-20 08:30:00 UTC")))
                .andExpect(content().string(containsString("Paged the database team")))
                // an executive reads, never writes
                .andExpect(content().string(not(containsString("Save review"))));
        mvc.perform(get("/incidents/" + checkout).with(ALICE)).andExpect(content().string(containsString("Save review")));
        mvc.perform(get("/incidents/999999").with(EXECUTIVE)).andExpect(status().isNotFound());
    }

    @Test
    void theOwningTeamWritesTheReviewAndItsImpactStartFeedsTheFigures() throws Exception {
        long login = jdbc.queryForObject("select id from incident where external_id = 'INC-8'", Long.class);
        assertThat(figures.figure("mttd", "P30D", "identity", null, null).n()).isZero();

        mvc.perform(post("/incidents/" + login + "/review").with(BOB).with(csrf())
                        .param("summary", "Connection pool exhausted").param("rootCauses", "Pool of 10 for 400 rps")
                        .param("impactStartedAt", "2024-05-21T08:51").param("runbookId", "12").param("status", "published"))
                .andExpect(status().is3xxRedirection()).andExpect(redirectedUrl("/incidents/" + login + "#review"))
                .andExpect(flash().attribute("message", "Review saved."));

        IncidentSummary summary = incidents.summary(login).orElseThrow();
        assertThat(summary.startedAt()).isEqualTo(Instant.parse("2024-05-21T08:51:00Z"));
        assertThat(summary.impactStartFromReview()).isTrue();
        assertThat(summary.runbookId()).isEqualTo(12L);
        assertThat(summary.reviewStatus()).isEqualTo("published");
        // detected 09:00 − impact 08:51 = 540 s: the review's start point is now measured
        DurationFigure mttd = figures.figure("mttd", "P30D", "identity", null, null);
        assertThat(mttd.samples()).extracting(DurationFigure.Sample::seconds).containsExactly(540.0);
        assertThat(incidents.detail(login).orElseThrow().sentences().get(0))
                .isEqualTo("Detected 9 min after impact began (impact start from the post-incident review).");
        assertThat(count("select count(*) from audit_log where action = 'incident.review-created' and actor = 'bob'")).isEqualTo(1);
        assertThat(count("select count(*) from audit_log where action = 'incident.runbook-linked'")).isEqualTo(1);

        // Saving the same review again changes nothing and audits nothing.
        mvc.perform(post("/incidents/" + login + "/review").with(BOB).with(csrf())
                .param("summary", "Connection pool exhausted").param("rootCauses", "Pool of 10 for 400 rps")
                .param("impactStartedAt", "2024-05-21T08:51").param("runbookId", "12").param("status", "published"));
        assertThat(count("select count(*) from audit_log where action like 'incident.review-%'")).isEqualTo(1);
    }

    @Test
    void reviewsAreCheckedPerObject() throws Exception {
        // bob is in identity; the incident hit payments-api
        mvc.perform(post("/incidents/" + checkout + "/review").with(BOB).with(csrf()).param("summary", "x"))
                .andExpect(status().isForbidden());
        mvc.perform(post("/incidents/" + checkout + "/review").with(EXECUTIVE).with(csrf()).param("summary", "x"))
                .andExpect(status().isForbidden());
        mvc.perform(post("/incidents/" + checkout + "/review").with(ALICE).param("summary", "x"))
                .andExpect(status().isForbidden());
        assertThat(count("select count(*) from review")).isZero();
        mvc.perform(post("/incidents/" + checkout + "/review").with(SECURITY).with(csrf()).param("summary", "by security"))
                .andExpect(status().is3xxRedirection());
        assertThat(count("select count(*) from review")).isEqualTo(1);
    }

    @Test
    void invalidReviewInputIsRefusedWithAReason() throws Exception {
        mvc.perform(post("/incidents/" + checkout + "/review").with(ALICE).with(csrf())
                        .param("summary", "s").param("impactStartedAt", "2024-05-20T10:20"))
                .andExpect(flash().attribute("error",
                        "Impact cannot begin after the incident was detected (2024-05-20T10:14:00Z); check the time and that it is in UTC"));
        mvc.perform(post("/incidents/" + checkout + "/review").with(ALICE).with(csrf()).param("status", "published"))
                .andExpect(flash().attribute("error", "A published review needs a summary"));
        mvc.perform(post("/incidents/" + checkout + "/review").with(ALICE).with(csrf()).param("runbookId", "abc"))
                .andExpect(flash().attribute("error", "The runbook must be given by its id, a positive number"));
        assertThat(count("select count(*) from review")).isZero();
    }

    @Test
    void actionItemsRaiseAnEventAndCanBeCompleted() throws Exception {
        mvc.perform(post("/incidents/" + checkout + "/review/actions").with(ALICE).with(csrf())
                        .param("description", "Alert on pool saturation").param("owner", "payments").param("dueDate", "2024-06-15"))
                .andExpect(flash().attribute("error", "Write the review before adding action items"));
        mvc.perform(post("/incidents/" + checkout + "/review").with(ALICE).with(csrf()).param("summary", "Pool exhausted"));

        mvc.perform(post("/incidents/" + checkout + "/review/actions").with(ALICE).with(csrf())
                        .param("description", "Alert on pool saturation").param("owner", "payments").param("dueDate", "2024-06-15"))
                .andExpect(flash().attribute("message", "Action item added."));

        List<ReviewActionRaised> raised = events.stream(ReviewActionRaised.class).toList();
        assertThat(raised).hasSize(1);
        ReviewActionRaised event = raised.get(0);
        assertThat(event.incidentId()).isEqualTo(checkout);
        assertThat(event.incidentReference()).isEqualTo("INC-7");
        assertThat(event.services()).containsExactly("payments-api");
        assertThat(event.description()).isEqualTo("Alert on pool saturation");
        assertThat(event.owner()).isEqualTo("payments");
        assertThat(event.dueDate()).isEqualTo(LocalDate.parse("2024-06-15"));
        assertThat(event.raisedBy()).isEqualTo("alice");
        // the findings feature tracks it in the service owners' queue
        assertThat(jdbc.queryForList("select service_name || ' ' || rule_id || ' ' || subject || ' ' || severity || ' ' || status"
                + " || ' ' || title from finding", String.class)).containsExactly("payments-api review-action-item review-action:"
                        + event.actionId() + " medium open Post-incident review action item: Alert on pool saturation");

        long action = jdbc.queryForObject("select id from review_action", Long.class);
        mvc.perform(post("/incidents/" + checkout + "/review/actions/" + action + "/done").with(BOB).with(csrf()))
                .andExpect(status().isForbidden());
        mvc.perform(post("/incidents/" + checkout + "/review/actions/" + action + "/done").with(ALICE).with(csrf()))
                .andExpect(flash().attribute("message", "Action item marked done."));
        assertThat(jdbc.queryForObject("select status from review_action", String.class)).isEqualTo("done");
        assertThat(jdbc.queryForObject("select status from finding", String.class)).isEqualTo("fixed");
        mvc.perform(get("/incidents/" + checkout).with(EXECUTIVE))
                .andExpect(content().string(containsString("done by alice")));
    }

    @Test
    void teamAndServicePagesShowTheirFiguresAndDistribution() throws Exception {
        mvc.perform(get("/teams/payments/incidents").with(EXECUTIVE)).andExpect(status().isOk())
                .andExpect(content().string(containsString("Incidents of Payments")))
                .andExpect(content().string(containsString("aria-labelledby=\"strip-mttr-title strip-mttr-desc\"")))
                .andExpect(content().string(containsString("Data table: MTTR of each measured incident (1)")))
                .andExpect(content().string(containsString("1 h 12 min")));
        mvc.perform(get("/services/identity-api/incidents").with(EXECUTIVE)).andExpect(status().isOk())
                .andExpect(content().string(containsString("Login slow")));
        mvc.perform(get("/teams/nobody/incidents").with(EXECUTIVE)).andExpect(status().isNotFound());
        mvc.perform(get("/services/nothing/incidents").with(EXECUTIVE)).andExpect(status().isNotFound());
    }

    @Test
    void theApiListsIncidentsAsJsonAndCsv() throws Exception {
        mvc.perform(get("/api/v1/incidents").param("team", "payments").with(EXECUTIVE)).andExpect(status().isOk())
                .andExpect(jsonPath("$.total").value(1))
                .andExpect(jsonPath("$.items[0].external_id").value("INC-7"))
                .andExpect(jsonPath("$.items[0].is_drill").value(false))
                .andExpect(jsonPath("$.items[0].services[0]").value("payments-api"))
                .andExpect(jsonPath("$.items[0].ttd_s").value(840.0))
                .andExpect(jsonPath("$.items[0].tta_s").value(210.0))
                .andExpect(jsonPath("$.items[0].ttr_s").value(4320.0))
                .andExpect(jsonPath("$.items[0].detected_at").value("2024-05-20T10:14:00Z"));
        mvc.perform(get("/api/v1/incidents.csv").with(EXECUTIVE)).andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith("text/csv"))
                .andExpect(content().string(containsString("id,source,reference,title,severity,status,is_drill,services,")))
                .andExpect(content().string(containsString(",INC-7,Checkout <b>errors</b>,sev1,,false,payments-api,"
                        + "2024-05-20T10:00:00Z,false,2024-05-20T10:14:00Z,2024-05-20T10:17:30Z,2024-05-20T11:26:00Z,"
                        + "2024-05-20T12:00:00Z,840.0,210.0,4320.0,,,")));
        mvc.perform(get("/api/v1/incidents/" + checkout).with(EXECUTIVE)).andExpect(status().isOk())
                .andExpect(jsonPath("$.sentences[0]").value("Detected 14 min after impact began."))
                .andExpect(jsonPath("$.timeline[0].kind").value("note"));
        mvc.perform(get("/api/v1/incidents/424242").with(EXECUTIVE)).andExpect(status().isNotFound());
        mvc.perform(get("/api/v1/incidents").param("window", "P2X").with(EXECUTIVE)).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("window 'P2X' is not an ISO-8601 duration such as P90D"));
    }

    @Test
    void pushedPagerDutyWebhooksKeepWhatEarlierPushesSaid() throws Exception {
        String data = "\"data\": {\"id\": \"PWH1\", \"type\": \"incident\", \"number\": 77, \"title\": \"Gateway down\","
                + " \"created_at\": \"2024-05-22T08:00:00Z\", \"status\": \"%s\", \"urgency\": \"high\","
                + " \"service\": {\"id\": \"SERVICE1\", \"type\": \"service_reference\", \"summary\": \"Payments\"},"
                + " \"html_url\": \"https://acme.pagerduty.com/incidents/PWH1\"}";
        push("{\"event\": {\"id\": \"E1\", \"event_type\": \"incident.acknowledged\", \"resource_type\": \"incident\","
                + " \"occurred_at\": \"2024-05-22T08:04:00Z\", \"agent\": {\"type\": \"user_reference\", \"summary\": \"Alice\"},"
                + String.format(data, "acknowledged") + "}}");
        push("{\"event\": {\"id\": \"E2\", \"event_type\": \"incident.resolved\", \"resource_type\": \"incident\","
                + " \"occurred_at\": \"2024-05-22T08:40:00Z\"," + String.format(data, "resolved") + "}}");

        IncidentSummary incident = incidents.list(new IncidentFilter(null, null, null, null, null, "ingest:pagerduty", null),
                dev.assay.common.PageRequest.of(0, 10)).items().get(0);
        assertThat(incident.externalId()).isEqualTo("PWH1");
        assertThat(incident.reference()).isEqualTo("#77");
        assertThat(incident.status()).isEqualTo("resolved");
        assertThat(incident.acknowledgedAt()).isEqualTo(Instant.parse("2024-05-22T08:04:00Z"));
        assertThat(incident.resolvedAt()).isEqualTo(Instant.parse("2024-05-22T08:40:00Z"));
        assertThat(incident.services()).containsExactly("payments-api");
        assertThat(count("select count(*) from incident where source_id = 'ingest:pagerduty'")).isEqualTo(1);
        assertThat(count("select count(*) from audit_log where action in ('incident.ingested', 'incident.reingested')"
                + " and actor = 'ci'")).isEqualTo(4);   // INC-7, INC-8, then the webhook twice
    }

    @Test
    void pushedJiraIssuesAndOpsgenieAlertsUseTheCollectorsMappers() throws Exception {
        push("{\"webhookEvent\": \"jira:issue_updated\", \"issue\": {\"id\": \"30001\", \"key\": \"TEST-9\","
                + " \"self\": \"https://acme.atlassian.net/rest/api/3/issue/30001\", \"fields\": {\"summary\": \"Ledger drift\","
                + " \"created\": \"2024-05-23T10:00:00.000+0200\", \"resolutiondate\": \"2024-05-23T11:00:00.000+0200\","
                + " \"priority\": {\"name\": \"High\"}, \"components\": [{\"name\": \"ledger-service\"}], \"labels\": [],"
                + " \"status\": {\"name\": \"Done\"}, \"project\": {\"key\": \"TEST\"}}}}");
        push("{\"data\": {\"id\": \"og-9\", \"tinyId\": \"9\", \"message\": \"Queue backlog\", \"status\": \"closed\","
                + " \"acknowledged\": true, \"tags\": [\"checkout-web\"], \"createdAt\": \"2024-05-24T10:00:00Z\","
                + " \"priority\": \"P2\", \"report\": {\"ackTime\": 60000, \"closeTime\": 600000}}, \"took\": 0.1}");

        IncidentSummary jira = incidents.list(new IncidentFilter(null, null, null, null, null, "ingest:jira", null),
                dev.assay.common.PageRequest.of(0, 10)).items().get(0);
        assertThat(jira.reference()).isEqualTo("TEST-9");
        assertThat(jira.services()).containsExactly("ledger-service");
        assertThat(jira.ttrS()).isEqualTo(3600.0);
        assertThat(jira.url()).isEqualTo("https://acme.atlassian.net/browse/TEST-9");
        IncidentSummary alert = incidents.list(new IncidentFilter(null, null, null, null, null, "ingest:opsgenie", null),
                dev.assay.common.PageRequest.of(0, 10)).items().get(0);
        assertThat(alert.services()).containsExactly("checkout-web");
        assertThat(List.of(alert.ttaS(), alert.ttrS())).containsExactly(60.0, 600.0);
    }

    @Test
    void unreadablePushesAnswer400WithTheReasonAndAreQuarantined() throws Exception {
        mvc.perform(post("/api/v1/ingest/incident").with(PUSHER).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"hello\": \"world\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(containsString("not a PagerDuty incident, Opsgenie alert, Jira issue or Assay")));
        mvc.perform(post("/api/v1/ingest/incident").with(PUSHER).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"schema\": \"assay.incident/v1\", \"id\": \"X\", \"title\": \"t\","
                                + " \"detected_at\": \"2024-05-01 10:00\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("detected_at '2024-05-01 10:00' is not an ISO-8601 timestamp"));
        mvc.perform(post("/api/v1/ingest/incident").with(PUSHER).with(csrf()).param("format", "servicenow")
                        .contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isBadRequest());
        assertThat(count("select count(*) from quarantine where source_id = 'ingest:incident'")).isEqualTo(3);
        mvc.perform(post("/api/v1/ingest/incident").with(EXECUTIVE).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                .content("{}")).andExpect(status().isForbidden());
    }

    private void push(String body) throws Exception {
        mvc.perform(post("/api/v1/ingest/incident").with(PUSHER).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                .content(body)).andExpect(status().isAccepted());
    }
}

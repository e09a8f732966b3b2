package dev.assay.incidents;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.assay.collect.JobStatus;
import dev.assay.common.PageRequest;

/**
 * The three collectors against the real published samples (src/test/resources/fixtures/incidents,
 * see FIXTURES.md), asserting every mapped field and the exact requests sent.
 */
class IncidentCollectorFixtureTests extends IncidentTestSupport {

    @Autowired Incidents incidents;

    @Test
    void pagerDutyListResponseSample() {
        clock.set(Instant.parse("2023-12-01T00:00:00Z"));
        UPSTREAM.stubFor(get(urlPathEqualTo("/pd/incidents")).withQueryParam("offset", equalTo("0"))
                .willReturn(okJson(fixture("pagerduty-list-incidents-response.json"))));
        // The sample says "more": true; the next page (offset 2) is empty.
        UPSTREAM.stubFor(get(urlPathEqualTo("/pd/incidents")).withQueryParam("offset", equalTo("2"))
                .willReturn(okJson("{\"incidents\":[],\"limit\":100,\"offset\":2,\"total\":null,\"more\":false}")));

        JobStatus run = collect("pd");

        assertThat(run.status()).isEqualTo("COMPLETED");
        assertThat(run.read()).isEqualTo(2);
        assertThat(run.written()).isEqualTo(2);
        assertThat(run.quarantined()).isZero();
        List<LoggedRequest> requests = UPSTREAM.findAll(getRequestedFor(urlPathEqualTo("/pd/incidents")));
        assertThat(requests).hasSize(2);
        LoggedRequest first = requests.get(0);
        assertThat(first.getHeader("Authorization")).isEqualTo("Token token=pd-test-token");
        assertThat(first.getHeader("Accept")).isEqualTo("application/vnd.pagerduty+json;version=2");
        assertThat(first.queryParameter("since").firstValue()).isEqualTo("2023-11-01T00:00:00Z");
        assertThat(first.queryParameter("until").firstValue()).isEqualTo("2023-12-01T00:00:00Z");
        assertThat(first.queryParameter("limit").firstValue()).isEqualTo("100");
        assertThat(first.queryParameter("time_zone").firstValue()).isEqualTo("UTC");
        // The sample's ids are blank: no log entries can be asked for.
        assertThat(UPSTREAM.findAll(getRequestedFor(urlPathMatching("/pd/incidents/.+")))).isEmpty();

        List<IncidentSummary> stored = incidents.list(new IncidentFilter(null, null, null, null, null, "pd", null),
                PageRequest.of(0, 50)).items();
        assertThat(stored).extracting(IncidentSummary::externalId).containsExactly("#1579", "#1578");
        IncidentSummary i1578 = stored.get(1);
        assertThat(i1578.reference()).isEqualTo("#1578");
        assertThat(i1578.title()).isEqualTo("this is a test");
        assertThat(i1578.sourceType()).isEqualTo("pagerduty");
        assertThat(i1578.severity()).isEqualTo("high");
        assertThat(i1578.status()).isEqualTo("resolved");
        assertThat(i1578.isDrill()).isFalse();
        assertThat(i1578.url()).isEqualTo("https://api.pagerduty.com/test");
        assertThat(i1578.services()).isEmpty();
        // detected = the earlier of created_at (05:51:15) and the first trigger log entry (05:51:14)
        assertThat(i1578.detectedAt()).isEqualTo(Instant.parse("2023-11-19T05:51:14Z"));
        assertThat(i1578.startedAt()).isNull();
        assertThat(i1578.acknowledgedAt()).isNull();
        assertThat(i1578.mitigatedAt()).isNull();
        assertThat(i1578.resolvedAt()).isEqualTo(Instant.parse("2023-11-19T05:51:28Z"));
        assertThat(i1578.ttrS()).isEqualTo(14.0);
        assertThat(i1578.ttaS()).isNull();
        assertThat(i1578.ttdS()).isNull();
        assertThat(stored.get(0).detectedAt()).isEqualTo(Instant.parse("2023-11-19T05:52:03Z"));
        assertThat(stored.get(0).ttrS()).isEqualTo(13.0);

        IncidentDetail detail = incidents.detail(i1578.id()).orElseThrow();
        assertThat(detail.upstreamServices()).isEqualTo("API Service (no id)");
        assertThat(detail.timeline()).extracting(IncidentDetail.TimelineEvent::at, IncidentDetail.TimelineEvent::kind,
                IncidentDetail.TimelineEvent::actor, IncidentDetail.TimelineEvent::summary).containsExactly(
                tuple(Instant.parse("2023-11-19T05:51:14Z"), "trigger", "API", "Triggered through the API."),
                tuple(Instant.parse("2023-11-19T05:51:28Z"), "resolve", "API Service", "Resolved"));
        assertThat(detail.sentences()).containsExactly("Time to detect not measured: impact start unknown.",
                "Time to acknowledge not measured: no acknowledgement time.", "Resolved 14 s after detection.");
        assertThat(jdbc.queryForObject("select cursor_value from collect_cursor where source_id = 'pd' and cursor_key = 'pagerduty:created-since'", String.class))
                .isEqualTo("2023-11-19T05:52:03Z");
    }

    @Test
    void pagerDutyIncidentObjectsSampleWithLogEntriesAndCatalogServices() {
        collect("inc-catalog");
        clock.set(Instant.parse("2017-05-01T00:00:00Z"));
        UPSTREAM.stubFor(get(urlPathEqualTo("/pd/incidents")).willReturn(okJson(
                "{\"incidents\": " + fixture("pagerduty-incidents-array.pypd-fixture.json")
                        + ", \"limit\": 25, \"offset\": 0, \"total\": null, \"more\": false}")));
        // The account's log (GET /log_entries), generated in PagerDuty's documented shape (no openly
        // licensed sample exists), newest first; INCIDENT2 has no entries in it.
        UPSTREAM.stubFor(get(urlPathEqualTo("/pd/log_entries")).withQueryParam("offset", equalTo("0")).willReturn(okJson("""
                {"log_entries": [
                  {"id": "L5", "type": "resolve_log_entry", "created_at": "2017-04-07T03:57:56Z",
                   "agent": {"id": "USER1", "type": "user_reference", "summary": "Nizar Gharbi"},
                   "incident": {"id": "INCIDENT1", "type": "incident_reference", "summary": "[#1] this is a trigger event!"},
                   "summary": "Resolved by Nizar Gharbi"},
                  {"id": "L4", "type": "annotate_log_entry", "created_at": "2017-04-07T03:50:00Z",
                   "agent": {"id": "USER1", "type": "user_reference", "summary": "Nizar Gharbi"},
                   "incident": {"id": "INCIDENT1", "type": "incident_reference"},
                   "summary": "Rolled back release 42"},
                  {"id": "L3", "type": "acknowledge_log_entry", "created_at": "2017-04-07T03:44:00Z",
                   "agent": {"id": "USER1", "type": "user_reference", "summary": "Nizar Gharbi"},
                   "incident": {"id": "INCIDENT1", "type": "incident_reference"},
                   "summary": "Acknowledged by Nizar Gharbi"},
                  {"id": "L2", "type": "notify_log_entry", "created_at": "2017-04-07T03:41:10Z",
                   "incident": {"id": "INCIDENT1", "type": "incident_reference"},
                   "summary": "Notified Nizar Gharbi by SMS"}],
                 "limit": 100, "offset": 0, "more": true, "total": null}""")));
        UPSTREAM.stubFor(get(urlPathEqualTo("/pd/log_entries")).withQueryParam("offset", equalTo("4")).willReturn(okJson("""
                {"log_entries": [
                  {"id": "L1", "type": "trigger_log_entry", "created_at": "2017-04-07T03:41:08Z",
                   "agent": {"id": "S1", "type": "service_reference", "summary": "Alert and Incidents"},
                   "incident": {"id": "INCIDENT1", "type": "incident_reference"},
                   "summary": "Triggered through the API"}],
                 "limit": 100, "offset": 4, "more": false, "total": null}""")));

        JobStatus run = collect("pd");

        assertThat(run.status()).isEqualTo("COMPLETED");
        assertThat(run.read()).isEqualTo(2);
        assertThat(run.written()).isEqualTo(2);
        List<IncidentSummary> stored = incidents.list(new IncidentFilter(null, null, null, null, null, "pd", null),
                PageRequest.of(0, 50)).items();
        assertThat(stored).extracting(IncidentSummary::externalId).containsExactlyInAnyOrder("INCIDENT1", "INCIDENT2");
        IncidentSummary one = stored.stream().filter(i -> i.externalId().equals("INCIDENT1")).findFirst().orElseThrow();
        assertThat(one.reference()).isEqualTo("#1");
        assertThat(one.title()).isEqualTo("this is a trigger event!");
        assertThat(one.services()).containsExactly("payments-api");
        assertThat(one.url()).isEqualTo("https://fake.pagerduty.com/incidents/INCIDENT1");
        assertThat(one.detectedAt()).isEqualTo(Instant.parse("2017-04-07T03:41:08Z"));
        assertThat(one.acknowledgedAt()).isEqualTo(Instant.parse("2017-04-07T03:44:00Z"));
        assertThat(one.resolvedAt()).isEqualTo(Instant.parse("2017-04-07T03:57:56Z"));
        assertThat(one.ttaS()).isEqualTo(172.0);   // 03:41:08 → 03:44:00
        assertThat(one.ttrS()).isEqualTo(1008.0);  // 03:41:08 → 03:57:56 = 16 min 48 s
        assertThat(incidents.detail(one.id()).orElseThrow().timeline()).extracting(IncidentDetail.TimelineEvent::kind)
                .containsExactly("trigger", "acknowledge", "annotate", "resolve");

        // The account's log pages were read once each; no incident's own log was asked for.
        List<LoggedRequest> log = UPSTREAM.findAll(getRequestedFor(urlPathEqualTo("/pd/log_entries")));
        assertThat(log).extracting(r -> r.queryParameter("offset").firstValue()).containsExactly("0", "4");
        assertThat(log.get(0).queryParameter("since").firstValue()).isEqualTo("2017-04-07T03:41:08Z");
        assertThat(log.get(0).queryParameter("until").firstValue()).isEqualTo("2017-05-01T00:00:00Z");
        assertThat(log.get(0).queryParameter("is_overview").firstValue()).isEqualTo("false");
        assertThat(UPSTREAM.findAll(getRequestedFor(urlPathMatching("/pd/incidents/.+")))).isEmpty();

        // Nothing of it in the log: stored with what the incident itself says.
        IncidentSummary two = stored.stream().filter(i -> i.externalId().equals("INCIDENT2")).findFirst().orElseThrow();
        assertThat(two.services()).containsExactly("identity-api");
        assertThat(two.acknowledgedAt()).isNull();
        assertThat(two.resolvedAt()).isEqualTo(Instant.parse("2017-04-07T03:57:56Z"));
        IncidentDetail detail = incidents.detail(two.id()).orElseThrow();
        assertThat(detail.upstreamServices()).isEqualTo("Alert and Incidents (SERVICE2)");
        assertThat(detail.timeline()).extracting(IncidentDetail.TimelineEvent::kind, IncidentDetail.TimelineEvent::actor)
                .containsExactly(tuple("trigger", null), tuple("resolve", "Nizar Not Gharbi"));
    }

    @Test
    void opsgenieListSampleFollowsPagingOnTheConfiguredHost() {
        collect("inc-catalog");
        clock.set(Instant.parse("2021-12-01T00:00:00Z"));
        UPSTREAM.stubFor(get(urlPathEqualTo("/og/v2/alerts")).withQueryParam("offset", equalTo("0"))
                .willReturn(okJson(fixture("opsgenie-list-alerts-response.json"))));
        UPSTREAM.stubFor(get(urlPathEqualTo("/og/v2/alerts")).withQueryParam("offset", equalTo("1"))
                .willReturn(okJson("{\"data\": [], \"paging\": {}, \"took\": 0.001, \"requestId\": \"r2\"}")));

        JobStatus run = collect("og");

        assertThat(run.status()).isEqualTo("COMPLETED");
        assertThat(run.read()).isEqualTo(1);
        List<LoggedRequest> requests = UPSTREAM.findAll(getRequestedFor(urlPathEqualTo("/og/v2/alerts")));
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).getHeader("Authorization")).isEqualTo("GenieKey og-test-key");
        // 2021-11-01T00:00:00Z is 1635724800000 ms; createdAt > one millisecond before it
        assertThat(requests.get(0).queryParameter("query").firstValue())
                .isEqualTo("teams:payments-oncall AND createdAt>1635724799999");
        assertThat(requests.get(0).queryParameter("sort").firstValue()).isEqualTo("createdAt");
        assertThat(requests.get(0).queryParameter("order").firstValue()).isEqualTo("asc");
        // paging.next named api.opsgenie.com: followed with its path and query on the configured base URL
        assertThat(requests.get(1).getUrl()).isEqualTo("/og/v2/alerts?limit=1&sort=createdAt&offset=1&order=desc");
        // An open, unacknowledged alert has no times to read in its details.
        assertThat(UPSTREAM.findAll(getRequestedFor(urlPathMatching("/og/v2/alerts/.+")))).isEmpty();

        IncidentSummary alert = incidents.list(new IncidentFilter(null, null, null, null, null, "og", null),
                PageRequest.of(0, 50)).items().get(0);
        assertThat(alert.externalId()).isEqualTo("b7da6303-0da4-43e2-8e21-9e22faedc594-1637756080926");
        assertThat(alert.reference()).isEqualTo("#163");
        assertThat(alert.title()).isEqualTo("1234");
        assertThat(alert.severity()).isEqualTo("P3");
        assertThat(alert.status()).isEqualTo("open");
        assertThat(alert.sourceType()).isEqualTo("opsgenie");
        assertThat(alert.detectedAt()).isEqualTo(Instant.parse("2021-11-24T12:14:40.926Z"));
        assertThat(alert.acknowledgedAt()).isNull();
        assertThat(alert.resolvedAt()).isNull();
        assertThat(alert.services()).containsExactly("payments-api");
        assertThat(alert.url()).isEqualTo(
                "https://acme.app.opsgenie.com/alert/detail/b7da6303-0da4-43e2-8e21-9e22faedc594-1637756080926/details");
        assertThat(incidents.detail(alert.id()).orElseThrow().timeline())
                .extracting(IncidentDetail.TimelineEvent::kind, IncidentDetail.TimelineEvent::actor,
                        IncidentDetail.TimelineEvent::summary)
                .containsExactly(tuple("created", "API", "1234"));
    }

    @Test
    void opsgenieDetailsGiveAcknowledgementAndCloseTimesAndTagsNameTheService() {
        collect("inc-catalog");
        clock.set(Instant.parse("2021-12-01T00:00:00Z"));
        UPSTREAM.stubFor(get(urlPathEqualTo("/og/v2/alerts")).willReturn(okJson("""
                {"data": [{"id": "a-1", "tinyId": "7", "message": "Checkout 5xx", "status": "closed", "acknowledged": true,
                           "tags": ["Checkout-Web"], "createdAt": "2021-11-20T10:00:00.000Z",
                           "updatedAt": "2021-11-20T11:00:01Z", "priority": "P1",
                           "integration": {"id": "i", "name": "Prometheus", "type": "Prometheus"}}],
                 "paging": {}, "took": 0.01, "requestId": "r"}""")));
        UPSTREAM.stubFor(get(urlPathEqualTo("/og/v2/alerts/a-1")).withQueryParam("identifierType", equalTo("id"))
                .willReturn(okJson("""
                {"data": {"id": "a-1", "tinyId": "7", "message": "Checkout 5xx", "status": "closed", "acknowledged": true,
                          "tags": ["Checkout-Web"], "createdAt": "2021-11-20T10:00:00.000Z", "priority": "P1",
                          "report": {"ackTime": 120000, "closeTime": 3600500, "acknowledgedBy": "alice@acme.example",
                                     "closedBy": "alice@acme.example"}},
                 "took": 0.01, "requestId": "r"}""")));

        JobStatus run = collect("og");

        assertThat(run.status()).isEqualTo("COMPLETED");
        IncidentSummary alert = incidents.list(new IncidentFilter(null, null, null, null, null, "og", null),
                PageRequest.of(0, 50)).items().get(0);
        assertThat(alert.acknowledgedAt()).isEqualTo(Instant.parse("2021-11-20T10:02:00Z"));
        assertThat(alert.resolvedAt()).isEqualTo(Instant.parse("2021-11-20T11:00:00.500Z"));
        assertThat(alert.ttaS()).isEqualTo(120.0);
        assertThat(alert.ttrS()).isEqualTo(3600.5);
        // The tag names a catalog service: that wins over the team's link to payments-api.
        assertThat(alert.services()).containsExactly("checkout-web");
        assertThat(incidents.detail(alert.id()).orElseThrow().timeline())
                .extracting(IncidentDetail.TimelineEvent::kind, IncidentDetail.TimelineEvent::actor)
                .containsExactly(tuple("created", "Prometheus"), tuple("acknowledged", "alice@acme.example"),
                        tuple("closed", "alice@acme.example"));
    }

    @Test
    void jiraEnhancedSearchSampleWithAFieldMapping() {
        collect("inc-catalog");
        clock.set(Instant.parse("2020-12-10T00:00:00Z"));
        UPSTREAM.stubFor(get(urlPathEqualTo("/jira3/rest/api/3/search/jql"))
                .willReturn(okJson(fixture("jira-search-jql-response.enhanced-isLast.jira-cli-fixture.json"))));

        JobStatus run = collect("jira3");

        assertThat(run.status()).isEqualTo("COMPLETED");
        assertThat(run.read()).isEqualTo(3);
        assertThat(run.written()).isEqualTo(3);
        LoggedRequest request = UPSTREAM.findAll(getRequestedFor(urlPathEqualTo("/jira3/rest/api/3/search/jql"))).get(0);
        assertThat(request.getHeader("Authorization")).isEqualTo("Basic "
                + Base64.getEncoder().encodeToString("tester@example.com:jira-test-token".getBytes()));
        assertThat(request.queryParameter("jql").firstValue()).isEqualTo(
                "(project = TEST AND issuetype = Incident) AND updated >= \"2020/11/10 00:00\" ORDER BY updated ASC, key ASC");
        assertThat(request.queryParameter("maxResults").firstValue()).isEqualTo("100");
        assertThat(request.queryParameter("fields").firstValue()).isEqualTo("summary,status,priority,created,updated,"
                + "resolutiondate,labels,components,project,issuetype,customfield_10060,customfield_10061,customfield_10062");
        assertThat(request.queryParameter("nextPageToken").isPresent()).isFalse();

        List<IncidentSummary> stored = incidents.list(new IncidentFilter(null, null, null, null, null, "jira3", null),
                PageRequest.of(0, 50)).items();
        assertThat(stored).extracting(IncidentSummary::externalId, IncidentSummary::title, IncidentSummary::status,
                IncidentSummary::severity).containsExactlyInAnyOrder(
                tuple("TEST-1", "Bug summary", "To Do", null),
                tuple("TEST-2", "Story summary", "In Progress", null),
                tuple("TEST-3", "Task summary", "Done", null));
        assertThat(stored).allSatisfy(i -> {
            // created "2020-12-03T14:05:20.974+0100": an offset without a colon
            assertThat(i.detectedAt()).isEqualTo(Instant.parse("2020-12-03T13:05:20.974Z"));
            assertThat(i.startedAt()).isNull();
            assertThat(i.resolvedAt()).isNull();
            // No component or label names a service: the project key's links do.
            assertThat(i.services()).containsExactly("ledger-service", "payments-api");
            assertThat(i.url()).isEqualTo("http://127.0.0.1:" + UPSTREAM.port() + "/jira3/browse/" + i.externalId());
        });
        assertThat(jdbc.queryForObject("select cursor_value from collect_cursor where source_id = 'jira3'", String.class))
                .isEqualTo("2020-12-03T13:05:20.974Z");
    }

    @Test
    void jiraClassicSearchSampleOnApiV2WithBearerAuthAndTheUsersTimeZone() {
        collect("inc-catalog");
        clock.set(Instant.parse("2020-12-10T00:00:00Z"));
        UPSTREAM.stubFor(get(urlPathEqualTo("/jira2/rest/api/2/search"))
                .willReturn(okJson(fixture("jira-search-jql-response.classic-startAt-total.jira-cli-fixture.json"))));

        JobStatus first = collect("jira2");
        JobStatus second = collect("jira2");

        assertThat(first.status()).isEqualTo("COMPLETED");
        assertThat(first.written()).isEqualTo(3);
        assertThat(second.written()).isEqualTo(3);
        List<LoggedRequest> requests = UPSTREAM.findAll(getRequestedFor(urlPathEqualTo("/jira2/rest/api/2/search")));
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).getHeader("Authorization")).isEqualTo("Bearer jira-test-pat");
        assertThat(requests.get(0).queryParameter("startAt").firstValue()).isEqualTo("0");
        // First run: 30 days back, written in Europe/Paris (UTC+1 in November)
        assertThat(requests.get(0).queryParameter("jql").firstValue())
                .isEqualTo("(project = TEST) AND updated >= \"2020/11/10 01:00\" ORDER BY updated ASC, key ASC");
        // Second run: from the watermark (13:05:20.974Z) less a minute, in Paris: 14:04
        assertThat(requests.get(1).queryParameter("jql").firstValue())
                .isEqualTo("(project = TEST) AND updated >= \"2020/12/03 14:04\" ORDER BY updated ASC, key ASC");
        List<IncidentSummary> stored = incidents.list(new IncidentFilter(null, null, null, null, null, "jira2", null),
                PageRequest.of(0, 50)).items();
        assertThat(stored).extracting(IncidentSummary::externalId, IncidentSummary::severity).containsExactlyInAnyOrder(
                tuple("TEST-1", "Medium"), tuple("TEST-2", "High"), tuple("TEST-3", "Low"));
        assertThat(count("select count(*) from incident")).isEqualTo(3);
        assertThat(Map.of("events", count("select count(*) from incident_event"))).isEqualTo(Map.of("events", 3));
    }
}

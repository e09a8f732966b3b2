package dev.assay.incidents;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.assay.collect.JobStatus;

/** Generated multi-page scenarios: every page read once, every record stored once, exact counts. */
class IncidentCollectorPagingTests extends IncidentTestSupport {

    static final Instant START = Instant.parse("2024-05-20T00:00:00Z");

    @Test
    void pagerDutyOffsetPagingAcrossThreePages() {
        collect("inc-catalog");
        List<String> all = Generated.pagerDutyIncidents(0, 250, START, "SERVICE1", "SERVICE2", "PUNKNOWN");
        stubPagerDutyPage("/pd", 0, all.subList(0, 100), true);
        stubPagerDutyPage("/pd", 100, all.subList(100, 200), true);
        stubPagerDutyPage("/pd", 200, all.subList(200, 250), false);

        JobStatus run = collect("pd");

        assertThat(run.status()).isEqualTo("COMPLETED");
        assertThat(run.read()).isEqualTo(250);
        assertThat(run.written()).isEqualTo(250);
        assertThat(run.quarantined()).isZero();
        assertThat(count("select count(*) from incident where source_id = 'pd'")).isEqualTo(250);
        // SERVICE1 → payments-api (n % 3 == 0: 84 incidents), SERVICE2 → identity-api (83), PUNKNOWN → none (83)
        assertThat(count("select count(*) from incident_service where service_name = 'payments-api'")).isEqualTo(84);
        assertThat(count("select count(*) from incident_service where service_name = 'identity-api'")).isEqualTo(83);
        assertThat(count("select count(*) from incident_service")).isEqualTo(167);
        // Each incident carries its own times: no log entries were needed.
        assertThat(UPSTREAM.findAll(getRequestedFor(urlPathEqualTo("/pd/incidents")))).extracting(
                r -> r.queryParameter("offset").firstValue()).containsExactly("0", "100", "200");
        assertThat(UPSTREAM.findAll(getRequestedFor(urlPathMatching("/pd/incidents/.+")))).isEmpty();
        // The watermark is the newest creation time: incident 249, created 249 × 2 min after START.
        assertThat(jdbc.queryForObject("select cursor_value from collect_cursor where source_id = 'pd' and cursor_key = 'pagerduty:created-since'", String.class))
                .isEqualTo(START.plusSeconds(120L * 249).toString());
    }

    @Test
    void pagerDutyResyncWithNoChangeSendsOneRequestPerEndpointAndWritesNothing() {
        // 30 incidents; the last 5 are still acknowledged (the run used to re-read from the oldest of them).
        List<String> all = new java.util.ArrayList<>(Generated.pagerDutyIncidents(0, 25, START, "SERVICE1"));
        Generated.pagerDutyIncidents(25, 30, START, "SERVICE1").forEach(i -> all.add(acknowledged(i)));
        stubPagerDutyPage("/pd", 0, all, false);
        UPSTREAM.stubFor(get(urlPathEqualTo("/pd/log_entries")).willReturn(okJson(EMPTY_LOG)));
        clock.set(Instant.parse("2024-06-01T00:00:00Z"));
        JobStatus first = collect("pd");
        assertThat(first.written()).isEqualTo(30);
        List<Map<String, Object>> before = jdbc.queryForList("select * from incident order by id");
        List<Map<String, Object>> children = jdbc.queryForList(
                "select (select count(*) from incident_event), (select count(*) from incident_service),"
                        + " (select count(*) from incident_upstream_ref) from incident where id = (select min(id) from incident)");
        UPSTREAM.resetRequests();
        clock.set(Instant.parse("2024-06-01T06:00:00Z"));

        JobStatus again = collect("pd");

        assertThat(again.status()).isEqualTo("COMPLETED");
        assertThat(again.read()).isZero();
        assertThat(again.written()).isZero();
        UPSTREAM.verify(1, getRequestedFor(urlPathEqualTo("/pd/incidents")));
        UPSTREAM.verify(1, getRequestedFor(urlPathEqualTo("/pd/log_entries")));
        UPSTREAM.verify(0, getRequestedFor(urlPathMatching("/pd/incidents/.+")));
        assertThat(UPSTREAM.getAllServeEvents()).hasSize(2);
        // Incidents from the creation watermark (incident 29), not from the oldest unresolved one (25) ...
        LoggedRequest incidents = UPSTREAM.findAll(getRequestedFor(urlPathEqualTo("/pd/incidents"))).get(0);
        assertThat(incidents.queryParameter("since").firstValue()).isEqualTo(START.plusSeconds(120L * 29).toString());
        // ... and the account's log from where the last run stopped reading it.
        LoggedRequest log = UPSTREAM.findAll(getRequestedFor(urlPathEqualTo("/pd/log_entries"))).get(0);
        assertThat(log.queryParameter("since").firstValue()).isEqualTo("2024-06-01T00:00:00Z");
        assertThat(log.queryParameter("until").firstValue()).isEqualTo("2024-06-01T06:00:00Z");
        // Not one row written: incidents (every column, updated_at included) and their children as they were.
        assertThat(jdbc.queryForList("select * from incident order by id")).isEqualTo(before);
        assertThat(jdbc.queryForList(
                "select (select count(*) from incident_event), (select count(*) from incident_service),"
                        + " (select count(*) from incident_upstream_ref) from incident where id = (select min(id) from incident)"))
                .isEqualTo(children);
        assertThat(jdbc.queryForObject("select cursor_value from collect_cursor where source_id = 'pd'"
                + " and cursor_key = 'pagerduty:log-entries-until'", String.class)).isEqualTo("2024-06-01T06:00:00Z");

        // Then incident 27 is resolved: the log names it, the run re-reads from its creation and writes it alone.
        UPSTREAM.resetAll();
        String resolved27 = Generated.pagerDutyIncident(27, START.plusSeconds(120L * 27), "SERVICE1")
                .replace(START.plusSeconds(120L * 27 + 1800).toString(), "2024-06-01T07:00:00Z");
        stubPagerDutyPage("/pd", 0, List.of(resolved27, all.get(28), all.get(29)), false);
        UPSTREAM.stubFor(get(urlPathEqualTo("/pd/log_entries")).willReturn(okJson("""
                {"log_entries": [{"id": "LR27", "type": "resolve_log_entry", "created_at": "2024-06-01T07:00:00Z",
                  "agent": {"id": "U1", "type": "user_reference", "summary": "Alice"},
                  "incident": {"id": "PG00027", "type": "incident_reference"}, "summary": "Resolved by Alice"}],
                 "limit": 100, "offset": 0, "more": false, "total": null}""")));
        clock.set(Instant.parse("2024-06-01T12:00:00Z"));

        JobStatus changed = collect("pd");

        assertThat(changed.status()).isEqualTo("COMPLETED");
        assertThat(changed.read()).isEqualTo(1);
        assertThat(changed.written()).isEqualTo(1);
        assertThat(UPSTREAM.getAllServeEvents()).hasSize(2);
        assertThat(UPSTREAM.findAll(getRequestedFor(urlPathEqualTo("/pd/incidents"))).get(0).queryParameter("since")
                .firstValue()).isEqualTo(START.plusSeconds(120L * 27).toString());
        assertThat(jdbc.queryForObject("select resolved_at from incident where external_id = 'PG00027'",
                java.time.OffsetDateTime.class).toInstant()).isEqualTo(Instant.parse("2024-06-01T07:00:00Z"));
        List<Map<String, Object>> after = jdbc.queryForList("select * from incident order by id");
        for (int i = 0; i < 30; i++) {
            if (i != 27) {
                assertThat(after.get(i)).isEqualTo(before.get(i));
            }
        }
        assertThat(after.get(27).get("UPDATED_AT")).isNotEqualTo(before.get(27).get("UPDATED_AT"));
    }

    @Test
    void pagerDutyLogEntriesAfterTheWindowAreFoundAndAnIncidentOpenForWeeksReadsItsOwnLog() {
        // Windows of 7 days from 2024-04-02. PA is created 10 min before its window ends and resolved
        // in the next one; PB is resolved 46 days after it was created (more than a window ahead).
        String a = listIncident("PA", 1, "2024-04-08T23:50:00Z", "2024-04-09T02:00:00Z");
        String b = listIncident("PB", 2, "2024-04-09T10:00:00Z", "2024-05-25T10:00:00Z");
        UPSTREAM.stubFor(get(urlPathEqualTo("/pdw/incidents")).atPriority(5)
                .willReturn(okJson(Generated.pagerDutyPage(List.of(), 0, false))));
        UPSTREAM.stubFor(get(urlPathEqualTo("/pdw/incidents")).atPriority(1)
                .withQueryParam("since", equalTo("2024-04-02T00:00:00Z"))
                .willReturn(okJson(Generated.pagerDutyPage(List.of(a), 0, false))));
        UPSTREAM.stubFor(get(urlPathEqualTo("/pdw/incidents")).atPriority(1)
                .withQueryParam("since", equalTo("2024-04-09T00:00:00Z"))
                .willReturn(okJson(Generated.pagerDutyPage(List.of(b), 0, false))));
        UPSTREAM.stubFor(get(urlPathEqualTo("/pdw/log_entries")).willReturn(okJson("{\"log_entries\": ["
                + String.join(",", logEntry("PB", "trigger", "2024-04-09T10:00:00Z"),
                        logEntry("PA", "resolve", "2024-04-09T02:00:00Z"), logEntry("PA", "acknowledge", "2024-04-09T00:05:00Z"),
                        logEntry("PA", "trigger", "2024-04-08T23:50:00Z"))
                + "], \"limit\": 100, \"offset\": 0, \"more\": false, \"total\": null}")));
        UPSTREAM.stubFor(get(urlPathEqualTo("/pdw/incidents/PB/log_entries")).willReturn(okJson("{\"log_entries\": ["
                + String.join(",", logEntry("PB", "trigger", "2024-04-09T10:00:00Z"),
                        logEntry("PB", "acknowledge", "2024-04-09T10:30:00Z"), logEntry("PB", "resolve", "2024-05-25T10:00:00Z"))
                + "], \"limit\": 100, \"offset\": 0, \"more\": false, \"total\": null}")));

        JobStatus run = collect("pd-weekly");

        assertThat(run.status()).as(run.exitMessage()).isEqualTo("COMPLETED");
        assertThat(run.written()).isEqualTo(2);
        assertThat(jdbc.query("select external_id, acknowledged_at, resolved_at from incident order by external_id",
                (rs, row) -> org.assertj.core.groups.Tuple.tuple(rs.getString(1),
                        rs.getObject(2, java.time.OffsetDateTime.class).toInstant(),
                        rs.getObject(3, java.time.OffsetDateTime.class).toInstant())))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("PA", Instant.parse("2024-04-09T00:05:00Z"), Instant.parse("2024-04-09T02:00:00Z")),
                        org.assertj.core.groups.Tuple.tuple("PB", Instant.parse("2024-04-09T10:30:00Z"), Instant.parse("2024-05-25T10:00:00Z")));
        // The account's log was read once, from PA's creation, one window ahead (past PA's window end) ...
        List<LoggedRequest> log = UPSTREAM.findAll(getRequestedFor(urlPathEqualTo("/pdw/log_entries")));
        assertThat(log).hasSize(1);
        assertThat(log.get(0).queryParameter("since").firstValue()).isEqualTo("2024-04-08T23:50:00Z");
        assertThat(log.get(0).queryParameter("until").firstValue()).isEqualTo("2024-04-15T23:50:00Z");
        // ... and PB, resolved weeks later, read its own log rather than the account's for 46 days.
        UPSTREAM.verify(1, getRequestedFor(urlPathEqualTo("/pdw/incidents/PB/log_entries")));
        UPSTREAM.verify(0, getRequestedFor(urlPathEqualTo("/pdw/incidents/PA/log_entries")));
    }

    /** A resolved incident as a list answer without include[]: trigger a reference, acknowledgements emptied. */
    static String listIncident(String id, int number, String created, String resolved) {
        return """
                {"id": "%1$s", "type": "incident", "incident_number": %2$d, "title": "Incident %1$s", "created_at": "%3$s",
                 "updated_at": "%4$s", "status": "resolved", "urgency": "high",
                 "service": {"id": "SERVICE1", "type": "service_reference", "summary": "Service 1"},
                 "first_trigger_log_entry": {"id": "T%1$s", "type": "trigger_log_entry_reference"},
                 "acknowledgements": [], "resolved_at": "%4$s", "last_status_change_at": "%4$s"}"""
                .formatted(id, number, created, resolved);
    }

    static String logEntry(String incident, String kind, String at) {
        return """
                {"id": "L%1$s%2$s", "type": "%2$s_log_entry", "created_at": "%3$s",
                 "agent": {"type": "user_reference", "summary": "Alice"},
                 "incident": {"id": "%1$s", "type": "incident_reference"}, "summary": "%2$s"}""".formatted(incident, kind, at);
    }

    static final String EMPTY_LOG = "{\"log_entries\": [], \"limit\": 100, \"offset\": 0, \"more\": false, \"total\": null}";

    /** The generated (resolved) incident, still acknowledged: no resolution time yet. */
    static String acknowledged(String incident) {
        return incident.replace("\"status\": \"resolved\"", "\"status\": \"acknowledged\"")
                .replaceFirst("\"resolved_at\": \"[^\"]+\"", "\"resolved_at\": null");
    }

    @Test
    void pagerDutyFiltersByServicesAndStatuses() {
        UPSTREAM.stubFor(get(urlPathEqualTo("/pdf/incidents"))
                .willReturn(okJson(Generated.pagerDutyPage(Generated.pagerDutyIncidents(0, 3, START, "SERVICE1"), 0, false))));

        JobStatus run = collect("pd-filtered");

        assertThat(run.written()).isEqualTo(3);
        LoggedRequest request = UPSTREAM.findAll(getRequestedFor(urlPathEqualTo("/pdf/incidents"))).get(0);
        assertThat(request.queryParameter("service_ids[]").values()).containsExactly("SERVICE1", "PLEDGER");
        assertThat(request.queryParameter("statuses[]").values()).containsExactly("acknowledged", "resolved");
    }

    @Test
    void opsgenieFollowsPagingNextAcrossThreePages() {
        List<String> alerts = Generated.range(0, 230, n -> Generated.opsgenieAlert(n, START.plusSeconds(60L * n)));
        UPSTREAM.stubFor(get(urlPathEqualTo("/ogall/v2/alerts")).withQueryParam("offset", equalTo("0"))
                .willReturn(okJson(Generated.opsgeniePage(alerts.subList(0, 100),
                        "https://api.opsgenie.com/v2/alerts?query=x&limit=100&offset=100&sort=createdAt&order=asc"))));
        UPSTREAM.stubFor(get(urlPathEqualTo("/ogall/v2/alerts")).withQueryParam("offset", equalTo("100"))
                .willReturn(okJson(Generated.opsgeniePage(alerts.subList(100, 200),
                        "https://api.opsgenie.com/v2/alerts?query=x&limit=100&offset=200&sort=createdAt&order=asc"))));
        UPSTREAM.stubFor(get(urlPathEqualTo("/ogall/v2/alerts")).withQueryParam("offset", equalTo("200"))
                .willReturn(okJson(Generated.opsgeniePage(alerts.subList(200, 230), null))));

        JobStatus run = collect("og-all");

        assertThat(run.status()).isEqualTo("COMPLETED");
        assertThat(run.read()).isEqualTo(230);
        assertThat(count("select count(*) from incident where source_id = 'og-all'")).isEqualTo(230);
        assertThat(UPSTREAM.findAll(getRequestedFor(urlPathEqualTo("/ogall/v2/alerts")))).hasSize(3);
        // Without a teams option the query has no team: createdAt only (30 days before 2024-06-01)
        assertThat(UPSTREAM.findAll(getRequestedFor(urlPathEqualTo("/ogall/v2/alerts"))).get(0)
                .queryParameter("query").firstValue()).isEqualTo("createdAt>" + (Instant.parse("2024-05-02T00:00:00Z")
                        .toEpochMilli() - 1));
        assertThat(jdbc.queryForObject("select cursor_value from collect_cursor where source_id = 'og-all'", String.class))
                .isEqualTo(START.plusSeconds(60L * 229).toString());
    }

    @Test
    void jiraEnhancedSearchFollowsNextPageTokens() {
        List<String> issues = Generated.range(0, 230, n -> Generated.jiraIssue(n, START.plusSeconds(60L * n)));
        UPSTREAM.stubFor(get(urlPathEqualTo("/jira3/rest/api/3/search/jql")).withQueryParam("nextPageToken", WireMock.absent())
                .willReturn(okJson("{\"issues\": [" + String.join(",", issues.subList(0, 100))
                        + "], \"nextPageToken\": \"page-2\", \"isLast\": false}")));
        UPSTREAM.stubFor(get(urlPathEqualTo("/jira3/rest/api/3/search/jql")).withQueryParam("nextPageToken", equalTo("page-2"))
                .willReturn(okJson("{\"issues\": [" + String.join(",", issues.subList(100, 200))
                        + "], \"nextPageToken\": \"page-3\", \"isLast\": false}")));
        UPSTREAM.stubFor(get(urlPathEqualTo("/jira3/rest/api/3/search/jql")).withQueryParam("nextPageToken", equalTo("page-3"))
                .willReturn(okJson("{\"issues\": [" + String.join(",", issues.subList(200, 230)) + "], \"isLast\": true}")));

        JobStatus run = collect("jira3");

        assertThat(run.status()).isEqualTo("COMPLETED");
        assertThat(run.read()).isEqualTo(230);
        assertThat(count("select count(*) from incident where source_id = 'jira3'")).isEqualTo(230);
        assertThat(UPSTREAM.findAll(getRequestedFor(urlPathEqualTo("/jira3/rest/api/3/search/jql")))).hasSize(3);
        // The watermark is the newest "updated": issue 229, updated an hour after its creation.
        assertThat(jdbc.queryForObject("select cursor_value from collect_cursor where source_id = 'jira3'", String.class))
                .isEqualTo(START.plusSeconds(60L * 229 + 3600).toString());
    }

    @Test
    void jiraClassicSearchPagesByStartAtUpToTotal() {
        List<String> issues = Generated.range(0, 230, n -> Generated.jiraIssue(n, START.plusSeconds(60L * n)));
        for (int startAt = 0; startAt < 230; startAt += 100) {
            UPSTREAM.stubFor(get(urlPathEqualTo("/jira2/rest/api/2/search")).withQueryParam("startAt", equalTo(String.valueOf(startAt)))
                    .willReturn(okJson("{\"startAt\": " + startAt + ", \"maxResults\": 100, \"total\": 230, \"issues\": ["
                            + String.join(",", issues.subList(startAt, Math.min(230, startAt + 100))) + "]}")));
        }

        JobStatus run = collect("jira2");

        assertThat(run.read()).isEqualTo(230);
        assertThat(count("select count(*) from incident where source_id = 'jira2'")).isEqualTo(230);
        assertThat(UPSTREAM.findAll(getRequestedFor(urlPathEqualTo("/jira2/rest/api/2/search"))))
                .extracting(r -> r.queryParameter("startAt").firstValue()).containsExactly("0", "100", "200");
    }

    static void stubPagerDutyPage(String prefix, int offset, List<String> incidents, boolean more) {
        UPSTREAM.stubFor(get(urlPathEqualTo(prefix + "/incidents")).withQueryParam("offset", equalTo(String.valueOf(offset)))
                .willReturn(okJson(Generated.pagerDutyPage(incidents, offset, more))));
    }
}

package dev.assay.incidents;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.http.Fault;

import dev.assay.collect.JobStatus;

/**
 * Fault tests (DESIGN §7): 429 with Retry-After, 5xx, connection reset, timeout, malformed records,
 * a truncated page, and a run that fails half-way and is run again — with exact final row counts:
 * nothing lost, nothing duplicated. Waits are recorded by the test Sleeper, not slept.
 */
class IncidentCollectorFaultTests extends IncidentTestSupport {

    static final Instant START = Instant.parse("2024-05-20T00:00:00Z");
    final List<String> page1 = Generated.pagerDutyIncidents(0, 30, START, "SERVICE1");
    final List<String> page2 = Generated.pagerDutyIncidents(30, 60, START, "SERVICE1");

    @Test
    void waitsAsLongAsRetryAfterSaysOnA429() {
        onceThen(() -> pdPage(0), aResponse().withStatus(429).withHeader("Retry-After", "7")
                .withBody("{\"error\":{\"message\":\"Rate Limit Exceeded\",\"code\":2020}}"), Generated.pagerDutyPage(page1, 0, false));

        JobStatus run = collect("pd");

        assertThat(run.status()).isEqualTo("COMPLETED");
        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(7));
        assertThat(count("select count(*) from incident")).isEqualTo(30);
    }

    @Test
    void retriesServerErrorsWithBackoff() {
        UPSTREAM.stubFor(pdPage(0).inScenario("5xx").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("second"));
        UPSTREAM.stubFor(pdPage(0).inScenario("5xx").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(502)).willSetStateTo("ok"));
        UPSTREAM.stubFor(pdPage(0).inScenario("5xx").whenScenarioStateIs("ok")
                .willReturn(okJson(Generated.pagerDutyPage(page1, 0, false))));

        JobStatus run = collect("pd");

        assertThat(run.status()).isEqualTo("COMPLETED");
        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(count("select count(*) from incident")).isEqualTo(30);
    }

    @Test
    void retriesAConnectionReset() {
        onceThen(() -> pdPage(0), aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), Generated.pagerDutyPage(page1, 0, false));

        JobStatus run = collect("pd");

        assertThat(run.status()).isEqualTo("COMPLETED");
        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(1));
        assertThat(count("select count(*) from incident")).isEqualTo(30);
    }

    @Test
    void retriesATimeout() {
        // The test context times requests out after 2 s.
        onceThen(() -> pdPage(0), okJson(Generated.pagerDutyPage(page1, 0, false)).withFixedDelay(4_000),
                Generated.pagerDutyPage(page1, 0, false));

        JobStatus run = collect("pd");

        assertThat(run.status()).isEqualTo("COMPLETED");
        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(1));
        assertThat(count("select count(*) from incident")).isEqualTo(30);
    }

    @Test
    void quarantinesMalformedRecordsWithTheReasonAndKeepsTheOthers() {
        String noCreatedAt = "{\"id\": \"PBAD1\", \"incident_number\": 901, \"title\": \"no creation time\", \"status\": \"triggered\","
                + " \"first_trigger_log_entry\": {\"created_at\": \"2024-05-20T01:00:00Z\"}, \"acknowledgements\": []}";
        String badTime = "{\"id\": \"PBAD2\", \"incident_number\": 902, \"title\": \"bad time\", \"status\": \"triggered\","
                + " \"created_at\": \"yesterday\", \"first_trigger_log_entry\": {\"created_at\": \"2024-05-20T01:00:00Z\"}}";
        String localTime = "{\"id\": \"PBAD3\", \"incident_number\": 903, \"title\": \"no zone\", \"status\": \"triggered\","
                + " \"created_at\": \"2024-05-20T01:00:00\", \"first_trigger_log_entry\": {\"created_at\": \"2024-05-20T01:00:00Z\"}}";
        List<String> records = new java.util.ArrayList<>(page1.subList(0, 5));
        records.add(2, noCreatedAt);
        records.add(4, badTime);
        records.add("\"not an incident\"");
        records.add(localTime);
        UPSTREAM.stubFor(pdPage(0).willReturn(okJson(Generated.pagerDutyPage(records, 0, false))));

        JobStatus run = collect("pd");

        assertThat(run.status()).isEqualTo("COMPLETED");
        assertThat(run.read()).isEqualTo(9);
        assertThat(run.written()).isEqualTo(5);
        assertThat(run.quarantined()).isEqualTo(4);
        assertThat(count("select count(*) from incident")).isEqualTo(5);
        assertThat(jdbc.queryForList("select kind, location, reason from quarantine order by location"))
                .extracting(r -> r.get("kind"), r -> r.get("location"), r -> r.get("reason")).containsExactly(
                        tuple("pagerduty-incident", "GET /incidents?since=2024-05-02T00:00:00Z&offset=0 #3 (id PBAD1)",
                                "PagerDuty incident PBAD1 has no created_at"),
                        tuple("pagerduty-incident", "GET /incidents?since=2024-05-02T00:00:00Z&offset=0 #5 (id PBAD2)",
                                "created_at 'yesterday' is not an ISO-8601 timestamp"),
                        tuple("pagerduty-incident", "GET /incidents?since=2024-05-02T00:00:00Z&offset=0 #8",
                                "a PagerDuty incident must be a JSON object"),
                        tuple("pagerduty-incident", "GET /incidents?since=2024-05-02T00:00:00Z&offset=0 #9 (id PBAD3)",
                                "created_at '2024-05-20T01:00:00' has no time-zone offset; Assay does not guess the zone of a timestamp"));
        assertThat(jdbc.queryForObject("select payload from quarantine where location like '%PBAD2%'", String.class))
                .contains("\"created_at\":\"yesterday\"");
    }

    @Test
    void aTruncatedPageIsAskedForAgainThenQuarantinedAndTheRunStopsWithoutLosingTheRest() {
        String truncated = Generated.pagerDutyPage(page2, 30, false).substring(0, 700);
        stubPage(0, Generated.pagerDutyPage(page1, 0, true));
        stubPage(30, truncated);

        JobStatus failed = collect("pd");

        assertThat(failed.status()).isEqualTo("FAILED");
        assertThat(failed.exitMessage()).contains("pd: GET /pd/incidents: the page is not valid JSON");
        // Page 2 was asked for twice.
        assertThat(UPSTREAM.findAll(getRequestedFor(urlPathEqualTo("/pd/incidents")).withQueryParam("offset", equalTo("30"))))
                .hasSize(2);
        // The first chunk (25 incidents) committed with its watermark; the 5 after it were in the failed chunk.
        assertThat(count("select count(*) from incident")).isEqualTo(25);
        assertThat(jdbc.queryForObject("select cursor_value from collect_cursor where source_id = 'pd' and cursor_key = 'pagerduty:created-since'", String.class))
                .isEqualTo(START.plusSeconds(120L * 24).toString());
        Map<String, Object> held = jdbc.queryForMap("select kind, location, reason, payload from quarantine");
        assertThat(held.get("kind")).isEqualTo("pagerduty-page");
        assertThat((String) held.get("location")).startsWith("GET http://127.0.0.1:" + UPSTREAM.port() + "/pd/incidents?since=");
        assertThat((String) held.get("reason")).startsWith("the page is not valid JSON: ")
                .endsWith("; nothing after this page was read in this run");
        assertThat(held.get("payload")).isEqualTo(truncated);

        // The upstream recovers: the next run reads from the watermark and ends with every incident once.
        UPSTREAM.resetAll();
        stubPage(0, Generated.pagerDutyPage(page1.subList(24, 30), 0, true));
        stubPage(6, Generated.pagerDutyPage(page2, 6, false));
        JobStatus rerun = collect("pd");

        assertThat(rerun.status()).isEqualTo("COMPLETED");
        assertThat(UPSTREAM.findAll(getRequestedFor(urlPathEqualTo("/pd/incidents"))).get(0).queryParameter("since")
                .firstValue()).isEqualTo(START.plusSeconds(120L * 24).toString());
        assertThat(count("select count(*) from incident")).isEqualTo(60);
        assertThat(count("select count(distinct external_id) from incident")).isEqualTo(60);
    }

    @Test
    void aRunThatFailsHalfWayAndIsRunAgainEndsExactlyOnce() {
        collect("inc-catalog");
        clock.set(Instant.parse("2024-06-01T00:00:00Z"));
        stubPage(0, Generated.pagerDutyPage(page1, 0, true));
        UPSTREAM.stubFor(pdPage(30).willReturn(aResponse().withStatus(500).withBody("{\"error\":\"boom\"}")));

        JobStatus failed = collect("pd");

        assertThat(failed.status()).isEqualTo("FAILED");
        assertThat(failed.exitMessage()).contains("still answered 500 after 5 attempts");
        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8));
        assertThat(count("select count(*) from incident")).isEqualTo(25);
        List<Map<String, Object>> committed = jdbc.queryForList(
                "select id, external_id, content_sha256, updated_at from incident order by id");

        UPSTREAM.resetAll();
        // The upstream has all 60 now; with no since filter in this fake, the rerun sees page 1 again too.
        stubPage(0, Generated.pagerDutyPage(page1, 0, true));
        stubPage(30, Generated.pagerDutyPage(page2, 30, false));
        JobStatus rerun = collect("pd");

        assertThat(rerun.status()).isEqualTo("COMPLETED");
        assertThat(rerun.read()).isEqualTo(60);
        assertThat(count("select count(*) from incident")).isEqualTo(60);
        assertThat(count("select count(distinct external_id) from incident")).isEqualTo(60);
        assertThat(count("select count(*) from incident_service")).isEqualTo(60);
        assertThat(count("select count(*) from incident_event")).isEqualTo(180);  // trigger, acknowledge, resolve
        // The 25 stored before the failure were not rewritten.
        assertThat(jdbc.queryForList("select id, external_id, content_sha256, updated_at from incident order by id")
                .subList(0, 25)).isEqualTo(committed);
        assertThat(jdbc.queryForObject("select cursor_value from collect_cursor where source_id = 'pd' and cursor_key = 'pagerduty:created-since'", String.class))
                .isEqualTo(START.plusSeconds(120L * 59).toString());
    }

    /** Page 1's incidents as a list answer without include[]: resolved, acknowledgements emptied, trigger a reference. */
    private List<String> needingLogEntries() {
        return page1.stream().map(i -> i.replaceFirst("\"acknowledgements\": \\[[^\\]]*\\]", "\"acknowledgements\": []"))
                .toList();
    }

    /** The account's log of page 1's incidents: trigger, notify, acknowledge, resolve each, newest first. */
    private String logOfPage1() {
        List<String> entries = new java.util.ArrayList<>();
        for (int n = 29; n >= 0; n--) {
            Instant created = START.plusSeconds(120L * n);
            String id = String.format("PG%05d", n);
            entries.add(entry("LR" + n, "resolve_log_entry", created.plusSeconds(1800), id));
            entries.add(entry("LA" + n, "acknowledge_log_entry", created.plusSeconds(120), id));
            entries.add(entry("LN" + n, "notify_log_entry", created.plusSeconds(5), id));
            entries.add(entry("LT" + n, "trigger_log_entry", created, id));
        }
        return "{\"log_entries\": [" + String.join(",", entries) + "], \"limit\": 100, \"offset\": 0, \"more\": false,"
                + " \"total\": null}";
    }

    private static String entry(String id, String type, Instant at, String incident) {
        return """
                {"id": "%s", "type": "%s", "created_at": "%s", "agent": {"type": "user_reference", "summary": "Alice"},
                 "incident": {"id": "%s", "type": "incident_reference"}, "summary": "%s"}""".formatted(id, type, at, incident, type);
    }

    private void assertPage1StoredWithTheirLog() {
        assertThat(count("select count(*) from incident")).isEqualTo(30);
        assertThat(count("select count(*) from incident where acknowledged_at is not null")).isEqualTo(30);
        assertThat(count("select count(*) from incident_event")).isEqualTo(90);  // trigger, acknowledge, resolve
        assertThat(UPSTREAM.findAll(getRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching(
                "/pd/incidents/.+")))).isEmpty();
    }

    @Test
    void theAccountLogIsRetriedOn429And5xxAndReset() {
        stubPage(0, Generated.pagerDutyPage(needingLogEntries(), 0, false));
        String scenario = "log-faults";
        MappingBuilder log = get(urlPathEqualTo("/pd/log_entries"));
        UPSTREAM.stubFor(get(urlPathEqualTo("/pd/log_entries")).inScenario(scenario).whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "5")).willSetStateTo("503"));
        UPSTREAM.stubFor(get(urlPathEqualTo("/pd/log_entries")).inScenario(scenario).whenScenarioStateIs("503")
                .willReturn(aResponse().withStatus(503)).willSetStateTo("reset"));
        UPSTREAM.stubFor(get(urlPathEqualTo("/pd/log_entries")).inScenario(scenario).whenScenarioStateIs("reset")
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("ok"));
        UPSTREAM.stubFor(log.inScenario(scenario).whenScenarioStateIs("ok").willReturn(okJson(logOfPage1())));

        JobStatus run = collect("pd");

        assertThat(run.status()).as(run.exitMessage()).isEqualTo("COMPLETED");
        // Retry-After of the 429, then the backoff of attempts 2 and 3 (the 503 and the reset).
        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(UPSTREAM.findAll(getRequestedFor(urlPathEqualTo("/pd/log_entries")))).hasSize(4);
        assertPage1StoredWithTheirLog();
    }

    @Test
    void theAccountLogIsRetriedAfterATimeout() {
        stubPage(0, Generated.pagerDutyPage(needingLogEntries(), 0, false));
        // The test context times requests out after 2 s.
        onceThen(() -> get(urlPathEqualTo("/pd/log_entries")), okJson(logOfPage1()).withFixedDelay(4_000), logOfPage1());

        JobStatus run = collect("pd");

        assertThat(run.status()).as(run.exitMessage()).isEqualTo("COMPLETED");
        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(1));
        assertPage1StoredWithTheirLog();
    }

    @Test
    void aMalformedLogEntryIsLeftOutAndABrokenEntryTimeQuarantinesItsIncident() {
        String log = logOfPage1().replace("{\"log_entries\": [", "{\"log_entries\": [\"not an entry\", {\"id\": \"LX\"},"
                + " {\"id\": \"LBAD\", \"type\": \"annotate_log_entry\", \"created_at\": \"soon\","
                + " \"incident\": {\"id\": \"PG00003\", \"type\": \"incident_reference\"}},");
        stubPage(0, Generated.pagerDutyPage(needingLogEntries(), 0, false));
        UPSTREAM.stubFor(get(urlPathEqualTo("/pd/log_entries")).willReturn(okJson(log)));

        JobStatus run = collect("pd");

        assertThat(run.status()).isEqualTo("COMPLETED");
        assertThat(run.quarantined()).isEqualTo(1);
        assertThat(count("select count(*) from incident")).isEqualTo(29);
        assertThat(jdbc.queryForObject("select reason from quarantine", String.class))
                .isEqualTo("log entry created_at 'soon' is not an ISO-8601 timestamp");
        assertThat(jdbc.queryForObject("select location from quarantine", String.class)).endsWith("(id PG00003)");
    }

    @Test
    void aTruncatedLogPageIsAskedForAgainThenQuarantinedAndTheRunStops() {
        stubPage(0, Generated.pagerDutyPage(needingLogEntries(), 0, false));
        String truncated = logOfPage1().substring(0, 500);
        UPSTREAM.stubFor(get(urlPathEqualTo("/pd/log_entries")).willReturn(okJson(truncated)));

        JobStatus failed = collect("pd");

        assertThat(failed.status()).isEqualTo("FAILED");
        assertThat(failed.exitMessage()).contains("pd: GET /pd/log_entries: the page is not valid JSON");
        assertThat(UPSTREAM.findAll(getRequestedFor(urlPathEqualTo("/pd/log_entries")))).hasSize(2);
        Map<String, Object> held = jdbc.queryForMap("select kind, reason, payload from quarantine");
        assertThat(held.get("kind")).isEqualTo("pagerduty-log-entries-page");
        assertThat(held.get("payload")).isEqualTo(truncated);
        assertThat(count("select count(*) from incident")).isZero();
        assertThat(count("select count(*) from collect_cursor where source_id = 'pd'")).isZero();

        // The upstream recovers: the next run reads everything once.
        UPSTREAM.resetAll();
        stubPage(0, Generated.pagerDutyPage(needingLogEntries(), 0, false));
        UPSTREAM.stubFor(get(urlPathEqualTo("/pd/log_entries")).willReturn(okJson(logOfPage1())));
        assertThat(collect("pd").status()).isEqualTo("COMPLETED");
        assertPage1StoredWithTheirLog();
    }

    @Test
    void jiraAnswersRateLimitsAndOpsgenieServerErrorsAreRetriedToo() {
        onceThen(() -> get(urlPathEqualTo("/jira3/rest/api/3/search/jql")),
                aResponse().withStatus(429).withHeader("Retry-After", "3"),
                "{\"issues\": [" + Generated.jiraIssue(1, START) + "], \"isLast\": true}");
        onceThen(() -> get(urlPathEqualTo("/ogall/v2/alerts")), aResponse().withStatus(503),
                Generated.opsgeniePage(List.of(Generated.opsgenieAlert(1, START)), null));

        assertThat(collect("jira3").status()).isEqualTo("COMPLETED");
        assertThat(collect("og-all").status()).isEqualTo("COMPLETED");

        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(1));
        assertThat(count("select count(*) from incident")).isEqualTo(2);
    }

    @Test
    void aJiraPageThatIsNotASearchAnswerStopsTheRunWithAClearReason() {
        UPSTREAM.stubFor(get(urlPathEqualTo("/jira3/rest/api/3/search/jql"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/html")
                        .withBody("<html><body>Atlassian maintenance</body></html>")));

        JobStatus run = collect("jira3");

        assertThat(run.status()).isEqualTo("FAILED");
        assertThat(jdbc.queryForObject("select reason from quarantine", String.class)).startsWith("the page is not valid JSON");
        assertThat(count("select count(*) from incident")).isZero();
        assertThat(count("select count(*) from collect_cursor where source_id = 'jira3'")).isZero();
    }

    private static MappingBuilder pdPage(int offset) {
        return get(urlPathEqualTo("/pd/incidents")).withQueryParam("offset", equalTo(String.valueOf(offset)));
    }

    private static void stubPage(int offset, String body) {
        UPSTREAM.stubFor(pdPage(offset).willReturn(okJson(body)));
    }

    /** The request fails once as {@code first}, then answers {@code thenBody}. */
    private static void onceThen(Supplier<MappingBuilder> request,
            com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder first, String thenBody) {
        String scenario = "once-" + request.get().build().getRequest();
        UPSTREAM.stubFor(request.get().inScenario(scenario).whenScenarioStateIs(STARTED).willReturn(first).willSetStateTo("ok"));
        UPSTREAM.stubFor(request.get().inScenario(scenario).whenScenarioStateIs("ok").willReturn(okJson(thenBody)));
    }
}

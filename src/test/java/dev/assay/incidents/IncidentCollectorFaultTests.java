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
        assertThat(jdbc.queryForObject("select cursor_value from collect_cursor where source_id = 'pd'", String.class))
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
        assertThat(jdbc.queryForObject("select cursor_value from collect_cursor where source_id = 'pd'", String.class))
                .isEqualTo(START.plusSeconds(120L * 59).toString());
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

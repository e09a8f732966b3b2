package dev.assay.incidents;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.assay.collect.JobStatus;

/**
 * The fault set (DESIGN §7) for Opsgenie, Jira Cloud (enhanced search, {@code nextPageToken}) and
 * Jira Data Center (classic search, {@code startAt}/{@code total}), as {@link IncidentCollectorFaultTests}
 * has it for PagerDuty: 429 with Retry-After, 5xx, connection reset, timeout, malformed records
 * quarantined with their reason while the others are kept, a truncated page asked for again then
 * quarantined (the run stops, what was committed stays), and a run that fails half-way and is run
 * again — exact final row counts: nothing lost, nothing duplicated. Waits are recorded by the test
 * Sleeper, not slept; chunks are 25 incidents.
 */
class OpsgenieAndJiraFaultTests extends IncidentTestSupport {

    static final Instant START = Instant.parse("2024-05-20T00:00:00Z");
    static final int PAGE = 30;

    /** One collector as the tests drive it: its source, its list request, its pages in the upstream's format. */
    enum Upstream {
        OPSGENIE("og-all", "/ogall/v2/alerts", "opsgenie-page", 1),
        JIRA_CLOUD("jira3", "/jira3/rest/api/3/search/jql", "jira-page", 2),
        JIRA_DATA_CENTER("jira2", "/jira2/rest/api/2/search", "jira-page", 2);

        final String source;
        final String path;
        final String pageKind;
        /** Opsgenie: the creation; Jira: detected (created) and resolved (resolutiondate). */
        final int eventsPerIncident;

        Upstream(String source, String path, String pageKind, int eventsPerIncident) {
            this.source = source;
            this.path = path;
            this.pageKind = pageKind;
            this.eventsPerIncident = eventsPerIncident;
        }

        /** Records n = from .. to−1, created a minute apart (Jira issues are updated and resolved an hour later). */
        List<String> records(int from, int to) {
            return Generated.range(from, to, n -> this == OPSGENIE ? Generated.opsgenieAlert(n, START.plusSeconds(60L * n))
                    : Generated.jiraIssue(n, START.plusSeconds(60L * n)));
        }

        /** The request for page {@code index} (0 the first). */
        MappingBuilder page(int index) {
            MappingBuilder list = get(urlPathEqualTo(path));
            return switch (this) {
                case OPSGENIE -> list.withQueryParam("offset", equalTo(String.valueOf(index * PAGE)));
                case JIRA_CLOUD -> list.withQueryParam("nextPageToken", index == 0 ? absent() : equalTo("token-" + index));
                case JIRA_DATA_CENTER -> list.withQueryParam("startAt", equalTo(String.valueOf(index * PAGE)));
            };
        }

        /** Page {@code index} holding {@code records}; {@code more}: one more page of 30 follows. */
        String body(List<String> records, int index, boolean more) {
            String items = String.join(",", records);
            return switch (this) {
                case OPSGENIE -> Generated.opsgeniePage(records, more ? "https://api.opsgenie.com/v2/alerts?query=x&limit=100&offset="
                        + (index + 1) * PAGE + "&sort=createdAt&order=asc" : null);
                case JIRA_CLOUD -> "{\"issues\": [" + items + "], " + (more ? "\"nextPageToken\": \"token-" + (index + 1)
                        + "\", \"isLast\": false}" : "\"isLast\": true}");
                case JIRA_DATA_CENTER -> "{\"expand\": \"schema,names\", \"startAt\": " + index * PAGE + ", \"maxResults\": 100,"
                        + " \"total\": " + (index * PAGE + records.size() + (more ? PAGE : 0)) + ", \"issues\": [" + items + "]}";
            };
        }

        /** What a malformed record looks like here, and the reason it is quarantined for. */
        Map.Entry<String, String> malformed() {
            return switch (this) {
                case OPSGENIE -> Map.entry(Generated.opsgenieAlert(901, START).replace("\"createdAt\": \"" + START + "\"",
                        "\"createdAt\": \"yesterday\""), "createdAt 'yesterday' is not an ISO-8601 timestamp");
                case JIRA_CLOUD, JIRA_DATA_CENTER -> Map.entry(Generated.jiraIssue(901, START).replace("\"created\": \"" + START
                        + "\"", "\"created\": \"yesterday\""), "created (detected) 'yesterday' is not an ISO-8601 timestamp");
            };
        }

        String notAnObjectReason() {
            return this == OPSGENIE ? "an Opsgenie alert must be a JSON object" : "a Jira issue must be a JSON object";
        }

        /** The location of record {@code position} of the first page, as the quarantine names it. */
        String location(int position, String id) {
            return switch (this) {
                case OPSGENIE -> "GET /v2/alerts team * page 1 #" + position + (id == null ? "" : " (id " + id + ")");
                case JIRA_CLOUD -> "GET /rest/api/3/search/jql page 1 #" + position + (id == null ? "" : " (" + id + ")");
                case JIRA_DATA_CENTER -> "GET /rest/api/2/search page 1 #" + position + (id == null ? "" : " (" + id + ")");
            };
        }

        String cursorKey() {
            return this == OPSGENIE ? "opsgenie:created-since:*" : "jira:updated-since";
        }

        /** The watermark once record {@code n} is stored: Opsgenie its creation, Jira its last update. */
        Instant watermarkAfter(int n) {
            return START.plusSeconds(60L * n + (this == OPSGENIE ? 0 : 3600));
        }
    }

    @ParameterizedTest
    @EnumSource(Upstream.class)
    void waitsAsLongAsRetryAfterSaysOnA429(Upstream upstream) {
        onceThen(upstream, aResponse().withStatus(429).withHeader("Retry-After", "7")
                .withBody("{\"message\": \"You are making too many requests! To avoid errors, we recommend you limit requests.\"}"));

        assertCompletedWithOnePage(upstream, Duration.ofSeconds(7));
    }

    @ParameterizedTest
    @EnumSource(Upstream.class)
    void retriesServerErrorsWithBackoff(Upstream upstream) {
        String scenario = "5xx-" + upstream;
        UPSTREAM.stubFor(upstream.page(0).inScenario(scenario).whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503).withBody("<html>Service Unavailable</html>")).willSetStateTo("second"));
        UPSTREAM.stubFor(upstream.page(0).inScenario(scenario).whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(502)).willSetStateTo("ok"));
        UPSTREAM.stubFor(upstream.page(0).inScenario(scenario).whenScenarioStateIs("ok")
                .willReturn(okJson(upstream.body(upstream.records(0, PAGE), 0, false))));

        assertCompletedWithOnePage(upstream, Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @ParameterizedTest
    @EnumSource(Upstream.class)
    void retriesAConnectionReset(Upstream upstream) {
        onceThen(upstream, aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

        assertCompletedWithOnePage(upstream, Duration.ofSeconds(1));
    }

    @ParameterizedTest
    @EnumSource(Upstream.class)
    void retriesATimeout(Upstream upstream) {
        // The test context times requests out after 2 s.
        onceThen(upstream, okJson(upstream.body(upstream.records(0, PAGE), 0, false)).withFixedDelay(4_000));

        assertCompletedWithOnePage(upstream, Duration.ofSeconds(1));
    }

    @ParameterizedTest
    @EnumSource(Upstream.class)
    void quarantinesMalformedRecordsWithTheReasonAndKeepsTheOthers(Upstream upstream) {
        Map.Entry<String, String> bad = upstream.malformed();
        List<String> records = new ArrayList<>(upstream.records(0, 5));
        records.add(2, bad.getKey());
        records.add("\"not a record\"");
        UPSTREAM.stubFor(upstream.page(0).willReturn(okJson(upstream.body(records, 0, false))));

        JobStatus run = collect(upstream.source);

        assertThat(run.status()).isEqualTo("COMPLETED");
        assertThat(run.read()).isEqualTo(7);
        assertThat(run.written()).isEqualTo(5);
        assertThat(run.quarantined()).isEqualTo(2);
        assertThat(count("select count(*) from incident")).isEqualTo(5);
        assertThat(count("select count(*) from incident_event")).isEqualTo(5 * upstream.eventsPerIncident);
        assertThat(jdbc.queryForList("select location, reason from quarantine order by location"))
                .extracting(r -> r.get("location"), r -> r.get("reason")).containsExactly(
                        tuple(upstream.location(3, upstream == Upstream.OPSGENIE ? "og-901" : "TEST-901"), bad.getValue()),
                        tuple(upstream.location(7, null), upstream.notAnObjectReason()));
        assertThat(jdbc.queryForObject("select payload from quarantine where reason = ?", String.class, bad.getValue()))
                .contains("\"yesterday\"");
    }

    @ParameterizedTest
    @EnumSource(Upstream.class)
    void aTruncatedPageIsAskedForAgainThenQuarantinedAndTheRunStopsWithoutLosingTheRest(Upstream upstream) {
        List<String> first = upstream.records(0, PAGE);
        List<String> second = upstream.records(PAGE, 2 * PAGE);
        String truncated = upstream.body(second, 1, false).substring(0, 700);
        UPSTREAM.stubFor(upstream.page(0).willReturn(okJson(upstream.body(first, 0, true))));
        UPSTREAM.stubFor(upstream.page(1).willReturn(okJson(truncated)));

        JobStatus failed = collect(upstream.source);

        assertThat(failed.status()).isEqualTo("FAILED");
        assertThat(failed.exitMessage()).contains(upstream.source + ": GET " + upstream.path + ": the page is not valid JSON");
        assertThat(UPSTREAM.findAll(requested(upstream, 1))).hasSize(2);
        // The first chunk (25) committed with its watermark; the 5 after it were in the chunk that failed.
        assertThat(count("select count(*) from incident")).isEqualTo(25);
        assertThat(cursor(upstream)).isEqualTo(upstream.watermarkAfter(24).toString());
        Map<String, Object> held = jdbc.queryForMap("select kind, location, reason, payload from quarantine");
        assertThat(held.get("kind")).isEqualTo(upstream.pageKind);
        assertThat((String) held.get("location")).startsWith("GET http://127.0.0.1:" + UPSTREAM.port() + upstream.path + "?");
        assertThat((String) held.get("reason")).startsWith("the page is not valid JSON: ")
                .endsWith("; nothing after this page was read in this run");
        assertThat(held.get("payload")).isEqualTo(truncated);
        List<Map<String, Object>> committed = snapshot();

        // The upstream recovers: the next run reads from where the watermark says and ends with every incident once.
        UPSTREAM.resetAll();
        UPSTREAM.stubFor(upstream.page(0).willReturn(okJson(upstream.body(first, 0, true))));
        UPSTREAM.stubFor(upstream.page(1).willReturn(okJson(upstream.body(second, 1, false))));
        JobStatus rerun = collect(upstream.source);

        assertThat(rerun.status()).isEqualTo("COMPLETED");
        assertThat(firstQuery(upstream)).contains(switch (upstream) {
            // every generated alert is still open: the read starts again at the oldest open one
            case OPSGENIE -> "createdAt>" + (START.toEpochMilli() - 1);
            // no time zone configured: 12 h 1 min before the watermark (01:24 UTC), in UTC
            case JIRA_CLOUD -> "updated >= \"2024/05/19 13:23\"";
            // Europe/Paris: 1 min before the watermark, in Paris time (UTC+2 in May)
            case JIRA_DATA_CENTER -> "updated >= \"2024/05/20 03:23\"";
        });
        assertExactlyOnce(upstream, 2 * PAGE, committed);
    }

    @ParameterizedTest
    @EnumSource(Upstream.class)
    void aRunThatFailsHalfWayAndIsRunAgainEndsExactlyOnce(Upstream upstream) {
        List<String> first = upstream.records(0, PAGE);
        List<String> second = upstream.records(PAGE, 2 * PAGE);
        UPSTREAM.stubFor(upstream.page(0).willReturn(okJson(upstream.body(first, 0, true))));
        UPSTREAM.stubFor(upstream.page(1).willReturn(aResponse().withStatus(500).withBody("{\"errorMessages\": [\"boom\"]}")));

        JobStatus failed = collect(upstream.source);

        assertThat(failed.status()).isEqualTo("FAILED");
        // The reason comes before the address: Jira's long JQL address must not push it out of the stored message.
        assertThat(failed.exitMessage()).contains(upstream.source
                + ": still answered 500 after 5 attempts: GET http://127.0.0.1:" + UPSTREAM.port() + upstream.path + "?");
        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8));
        assertThat(UPSTREAM.findAll(requested(upstream, 1))).hasSize(5);
        assertThat(count("select count(*) from incident")).isEqualTo(25);
        assertThat(cursor(upstream)).isEqualTo(upstream.watermarkAfter(24).toString());
        List<Map<String, Object>> committed = snapshot();

        UPSTREAM.resetAll();
        UPSTREAM.stubFor(upstream.page(0).willReturn(okJson(upstream.body(first, 0, true))));
        UPSTREAM.stubFor(upstream.page(1).willReturn(okJson(upstream.body(second, 1, false))));
        JobStatus rerun = collect(upstream.source);

        assertThat(rerun.status()).isEqualTo("COMPLETED");
        // These fakes ignore the since filter: the re-run reads all 60 again.
        assertThat(rerun.read()).isEqualTo(2 * PAGE);
        assertExactlyOnce(upstream, 2 * PAGE, committed);
    }

    private void assertCompletedWithOnePage(Upstream upstream, Duration... waits) {
        JobStatus run = collect(upstream.source);

        assertThat(run.status()).as(run.exitMessage()).isEqualTo("COMPLETED");
        assertThat(sleeper.waits).containsExactly(waits);
        assertThat(UPSTREAM.findAll(requested(upstream, 0))).hasSize(waits.length + 1);
        assertThat(count("select count(*) from incident where source_id = ?", upstream.source)).isEqualTo(PAGE);
        assertThat(count("select count(distinct external_id) from incident")).isEqualTo(PAGE);
        assertThat(count("select count(*) from quarantine")).isZero();
        assertThat(cursor(upstream)).isEqualTo(upstream.watermarkAfter(PAGE - 1).toString());
    }

    /** Every incident once, its events once, and the ones committed before the failure not rewritten. */
    private void assertExactlyOnce(Upstream upstream, int total, List<Map<String, Object>> committed) {
        assertThat(count("select count(*) from incident where source_id = ?", upstream.source)).isEqualTo(total);
        assertThat(count("select count(distinct external_id) from incident")).isEqualTo(total);
        assertThat(count("select count(*) from incident_event")).isEqualTo(total * upstream.eventsPerIncident);
        assertThat(snapshot().subList(0, committed.size())).isEqualTo(committed);
        assertThat(cursor(upstream)).isEqualTo(upstream.watermarkAfter(total - 1).toString());
    }

    private List<Map<String, Object>> snapshot() {
        return jdbc.queryForList("select id, external_id, content_sha256, updated_at from incident order by id");
    }

    private String cursor(Upstream upstream) {
        return jdbc.queryForObject("select cursor_value from collect_cursor where source_id = ? and cursor_key = ?", String.class,
                upstream.source, upstream.cursorKey());
    }

    /** The query of the run's first list request: Opsgenie's {@code query}, Jira's {@code jql}. */
    private static String firstQuery(Upstream upstream) {
        LoggedRequest first = UPSTREAM.findAll(getRequestedFor(urlPathEqualTo(upstream.path))).get(0);
        return first.queryParameter(upstream == Upstream.OPSGENIE ? "query" : "jql").firstValue();
    }

    private static com.github.tomakehurst.wiremock.matching.RequestPatternBuilder requested(Upstream upstream, int index) {
        var pattern = getRequestedFor(urlPathEqualTo(upstream.path));
        return switch (upstream) {
            case OPSGENIE -> pattern.withQueryParam("offset", equalTo(String.valueOf(index * PAGE)));
            case JIRA_CLOUD -> pattern.withQueryParam("nextPageToken", index == 0 ? absent() : equalTo("token-" + index));
            case JIRA_DATA_CENTER -> pattern.withQueryParam("startAt", equalTo(String.valueOf(index * PAGE)));
        };
    }

    /** The first page fails once as {@code first}, then answers the 30 records. */
    private static void onceThen(Upstream upstream, ResponseDefinitionBuilder first) {
        String scenario = "once-" + upstream;
        UPSTREAM.stubFor(upstream.page(0).inScenario(scenario).whenScenarioStateIs(STARTED).willReturn(first).willSetStateTo("ok"));
        UPSTREAM.stubFor(upstream.page(0).inScenario(scenario).whenScenarioStateIs("ok")
                .willReturn(okJson(upstream.body(upstream.records(0, PAGE), 0, false))));
    }
}

package dev.assay;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.request;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import dev.assay.builds.CiGenerated;
import dev.assay.incidents.Generated;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A kill -9 of the application in the middle of collecting from every kind of upstream, then a
 * restart (DESIGN §7). Assay runs as a real child process on an H2 file database with one sources
 * file naming seven sources: GitHub Actions, GitLab CI, Jenkins, an OCI registry, PagerDuty,
 * Opsgenie and Jira, each served by WireMock in its real answer format (the generators of the fault
 * and paging tests) over several pages, every page after the first slow. The seven collections are
 * launched together; once each has stored its first page (the registry its first chunk of tags) and
 * none has finished, Assay is killed with SIGKILL. After the restart the upstreams answer at once;
 * each collection is refused (409) while its dead run's heartbeat is fresh, then accepted; the dead
 * runs are recovered as FAILED, the new ones complete, and the database (read after a clean stop)
 * holds every record exactly once: nothing lost, nothing duplicated.
 * <p>
 * Tag {@code process}: the full suite only (it starts the application twice, about a minute and a half).
 */
@Tag("process")
class CrashRecoveryTests {

    static final String ADMIN_TOKEN = "crash-test-admin-token-0123456789";
    static final Instant START = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(10));
    static final int PAGE = 100;
    static final int PAGES = 4;
    /** Records of each CI and incident source: four pages of 100 (Jenkins: four jobs of 100 builds). */
    static final int RECORDS = PAGE * PAGES;
    static final int TAGS = 30;
    /** The registry collector writes chunks of 10 tags. */
    static final int TAG_CHUNK = 10;
    /** Before the kill each page after the first takes this long: no collection can finish before it. */
    static final int SLOW_PAGE_MS = 10_000;
    static final int SLOW_TAG_MS = 2_000;
    static final List<String> JENKINS_JOBS = List.of("fish", "shop", "cart", "mail");
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

    /** A source of the test, what it has written once its first page is stored, and how many records it ends with. */
    record Collected(String id, int firstWritten, int total) {
    }

    static final List<Collected> SOURCES = List.of(new Collected("gh", PAGE, RECORDS), new Collected("gl", PAGE, RECORDS),
            new Collected("jk", PAGE, RECORDS), new Collected("oci", TAG_CHUNK, TAGS), new Collected("pd", PAGE, RECORDS),
            new Collected("og", PAGE, RECORDS), new Collected("jira", PAGE, RECORDS));

    final WireMockServer upstream = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
    final WireMockServer registry = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final JsonMapper json = JsonMapper.builder().build();
    AssayProcess assay;

    @AfterEach
    void stop() {
        if (assay != null) {
            assay.close();
        }
        upstream.stop();
        registry.stop();
    }

    @Test
    void everyCollectorKilledMidRunIsRecoveredAndStoresEveryRecordExactlyOnce(@TempDir Path dir) throws Exception {
        upstream.start();
        registry.start();
        stubUpstreams(true);
        Path sources = writeSources(dir);
        int port = AssayProcess.freePort();

        assay = start(dir, sources, port);
        Map<String, Long> killed = new LinkedHashMap<>();
        for (Collected source : SOURCES) {
            killed.put(source.id(), launch(port, source.id()));
        }
        for (Collected source : SOURCES) {
            waitFor(port, killed.get(source.id()), job -> job.path("written").asLong() >= source.firstWritten(),
                    Duration.ofSeconds(90));
        }
        // Every collection is mid-run when Assay dies: some of its records stored, not all.
        Map<String, Long> writtenBeforeKill = new LinkedHashMap<>();
        for (Collected source : SOURCES) {
            JsonNode job = api(port, "/api/v1/jobs/" + killed.get(source.id()));
            writtenBeforeKill.put(source.id(), job.path("written").asLong());
            assertThat(job.path("status").asString()).as(source.id()).isEqualTo("STARTED");
            assertThat(job.path("written").asLong()).as(source.id()).isBetween((long) source.firstWritten(),
                    (long) source.total() - 1);
        }
        assertThat(assay.kill()).as("killed by SIGKILL").isEqualTo(137);

        upstream.resetAll();
        registry.resetAll();
        stubUpstreams(false);
        assay = start(dir, sources, port);
        Map<String, Long> reruns = new LinkedHashMap<>();
        for (Collected source : SOURCES) {
            reruns.put(source.id(), launchWhenAccepted(port, source.id(), Duration.ofSeconds(60)));
        }
        for (Collected source : SOURCES) {
            JsonNode done = waitFor(port, reruns.get(source.id()),
                    job -> !job.path("status").asString().matches("STARTING|STARTED"), Duration.ofSeconds(90));
            assertThat(done.path("status").asString()).as(source.id() + ": " + done).isEqualTo("COMPLETED");
            assertThat(api(port, "/api/v1/jobs/" + killed.get(source.id())).path("status").asString()).as(source.id())
                    .isEqualTo("FAILED");
            assertThat(reruns.get(source.id())).isNotEqualTo(killed.get(source.id()));
            if (source.id().equals("oci")) {
                // The tags stored before the kill moved their cursors with their chunk: the re-run skips them after a HEAD.
                assertThat(done.path("read").asLong()).isEqualTo(TAGS);
                assertThat(done.path("written").asLong()).isEqualTo(TAGS - writtenBeforeKill.get("oci"));
            } else {
                // These fakes ignore the since filters: the re-run reads every record again and upserts it.
                assertThat(done.path("read").asLong()).as(source.id()).isEqualTo(RECORDS);
            }
        }
        assay.stop();

        try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("data").resolve("assay")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "sa", "")) {
            for (String ci : List.of("gh", "gl", "jk")) {
                assertThat(count(db, "select count(*) from pipeline_run where source_id = '" + ci + "'")).as(ci).isEqualTo(RECORDS);
                assertThat(count(db, "select count(distinct external_id) from pipeline_run where source_id = '" + ci + "'"))
                        .as(ci).isEqualTo(RECORDS);
            }
            for (String incidents : List.of("pd", "og", "jira")) {
                assertThat(count(db, "select count(*) from incident where source_id = '" + incidents + "'")).as(incidents)
                        .isEqualTo(RECORDS);
                assertThat(count(db, "select count(distinct external_id) from incident where source_id = '" + incidents + "'"))
                        .as(incidents).isEqualTo(RECORDS);
            }
            // PagerDuty incidents carry their trigger, acknowledgement and resolution: three events each, none twice.
            assertThat(count(db, "select count(*) from incident_event e join incident i on i.id = e.incident_id"
                    + " where i.source_id = 'pd'")).isEqualTo(3 * RECORDS);
            assertThat(count(db, "select count(*) from artifact where source_id = 'oci'")).isEqualTo(TAGS);
            assertThat(count(db, "select count(*) from artifact_tag where repository = '127.0.0.1:" + registry.port()
                    + "/acme/crash'")).isEqualTo(TAGS);
            assertThat(count(db, "select count(*) from quarantine")).isZero();
        }
    }

    private static int count(Connection db, String sql) throws Exception {
        try (Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private Path writeSources(Path dir) throws Exception {
        Path sources = dir.resolve("sources.yml");
        Files.writeString(sources, """
                sources:
                  - id: gh
                    type: github-actions
                    base-url: http://127.0.0.1:%1$d/gh
                    token-env: CRASH_GH_TOKEN
                    lookback: P30D
                    repositories: [octo-org/octo-repo]
                  - id: gl
                    type: gitlab-ci
                    base-url: http://127.0.0.1:%1$d/gl
                    token-env: CRASH_GL_TOKEN
                    lookback: P30D
                    projects: ["1"]
                  - id: jk
                    type: jenkins
                    base-url: http://127.0.0.1:%1$d/jk
                    token-env: CRASH_JK_BASIC
                    jobs: [%3$s]
                  - id: oci
                    type: oci-registry
                    base-url: http://127.0.0.1:%2$d
                    repositories: [acme/crash]
                  - id: pd
                    type: pagerduty
                    base-url: http://127.0.0.1:%1$d/pd
                    token-env: CRASH_PD_TOKEN
                    lookback: P30D
                    window: P30D
                  - id: og
                    type: opsgenie
                    base-url: http://127.0.0.1:%1$d/og
                    token-env: CRASH_OG_KEY
                    lookback: P30D
                  - id: jira
                    type: jira
                    base-url: http://127.0.0.1:%1$d/jira
                    token-env: CRASH_JIRA_BASIC
                    jql: project = TEST AND issuetype = Incident
                    lookback: P30D
                """.formatted(upstream.port(), registry.port(), String.join(", ", JENKINS_JOBS)));
        return sources;
    }

    /** Every upstream's pages; with {@code slow}, every page after the first (and every tag after the first chunk) is delayed. */
    private void stubUpstreams(boolean slow) throws Exception {
        stubGitHub(slow);
        stubGitLab(slow);
        stubJenkins(slow);
        stubRegistry(slow);
        stubPagerDuty(slow);
        stubOpsgenie(slow);
        stubJira(slow);
    }

    private static ResponseDefinitionBuilder page(String body, int page, boolean slow) {
        return slow && page > 1 ? okJson(body).withFixedDelay(SLOW_PAGE_MS) : okJson(body);
    }

    private static <T> List<T> slice(List<T> all, int page) {
        return all.subList((page - 1) * PAGE, page * PAGE);
    }

    /** Workflow runs, newest first as GitHub lists them, paged by the Link header. */
    private void stubGitHub(boolean slow) {
        String path = "/gh/repos/octo-org/octo-repo/actions/runs";
        List<String> runs = new ArrayList<>(CiGenerated.githubRuns("octo-org/octo-repo", 0, RECORDS, START));
        java.util.Collections.reverse(runs);
        for (int page = 1; page <= PAGES; page++) {
            ResponseDefinitionBuilder answer = page(CiGenerated.githubPage(slice(runs, page), RECORDS), page, slow);
            if (page < PAGES) {
                answer = answer.withHeader("Link", "<" + upstream.baseUrl() + path + "?per_page=100&page=" + (page + 1)
                        + ">; rel=\"next\", <" + upstream.baseUrl() + path + "?per_page=100&page=" + PAGES + ">; rel=\"last\"");
            }
            upstream.stubFor(get(urlPathEqualTo(path)).withQueryParam("page", page == 1 ? absent() : equalTo(String.valueOf(page)))
                    .willReturn(answer));
        }
    }

    /** Pipelines (pending: the list item is the whole record), oldest change first, paged by X-Next-Page. */
    private void stubGitLab(boolean slow) {
        String path = "/gl/api/v4/projects/1/pipelines";
        List<String> pipelines = Generated.range(0, RECORDS, i -> CiGenerated.gitlabPending(1000 + i, START.plusSeconds(60L * i)));
        for (int page = 1; page <= PAGES; page++) {
            ResponseDefinitionBuilder answer = page("[" + String.join(",", slice(pipelines, page)) + "]", page, slow)
                    .withHeader("X-Page", String.valueOf(page)).withHeader("X-Per-Page", String.valueOf(PAGE))
                    .withHeader("X-Next-Page", page < PAGES ? String.valueOf(page + 1) : "");
            upstream.stubFor(get(urlPathEqualTo(path)).withQueryParam("page", page == 1 ? absent() : equalTo(String.valueOf(page)))
                    .willReturn(answer));
        }
    }

    /** One request per job: four jobs of 100 builds, each after the first slow. */
    private void stubJenkins(boolean slow) {
        for (int j = 0; j < JENKINS_JOBS.size(); j++) {
            String job = JENKINS_JOBS.get(j);
            List<String> builds = new ArrayList<>();
            for (int n = PAGE; n >= 1; n--) {
                builds.add(CiGenerated.jenkinsBuild("http://jenkins.example/job/" + job + "/", n,
                        START.plusSeconds(3600L * j + 30L * n), 60_000, "SUCCESS", false));
            }
            String body = "{\"_class\": \"hudson.model.FreeStyleProject\", \"name\": \"" + job + "\", \"builds\": ["
                    + String.join(",", builds) + "]}";
            upstream.stubFor(get(urlPathEqualTo("/jk/job/" + job + "/api/json")).willReturn(page(body, j + 1, slow)));
        }
    }

    /** Incidents paged by offset, each carrying its own trigger, acknowledgement and resolution times. */
    private void stubPagerDuty(boolean slow) {
        for (int page = 1; page <= PAGES; page++) {
            int offset = (page - 1) * PAGE;
            String body = Generated.pagerDutyPage(Generated.pagerDutyIncidents(offset, offset + PAGE, START, "PSERVICE"), offset,
                    page < PAGES);
            upstream.stubFor(get(urlPathEqualTo("/pd/incidents")).withQueryParam("offset", equalTo(String.valueOf(offset)))
                    .willReturn(page(body, page, slow)));
        }
    }

    /** Alerts (open: no details needed) paged by paging.next, which names Opsgenie's own host. */
    private void stubOpsgenie(boolean slow) {
        List<String> alerts = Generated.range(0, RECORDS, n -> Generated.opsgenieAlert(n, START.plusSeconds(60L * n)));
        for (int page = 1; page <= PAGES; page++) {
            int offset = (page - 1) * PAGE;
            String next = page < PAGES ? "https://api.opsgenie.com/v2/alerts?query=x&limit=100&offset=" + (offset + PAGE)
                    + "&sort=createdAt&order=asc" : null;
            upstream.stubFor(get(urlPathEqualTo("/og/v2/alerts")).withQueryParam("offset", equalTo(String.valueOf(offset)))
                    .willReturn(page(Generated.opsgeniePage(slice(alerts, page), next), page, slow)));
        }
    }

    /** Issues of the enhanced search, paged by nextPageToken until isLast. */
    private void stubJira(boolean slow) {
        List<String> issues = Generated.range(0, RECORDS, n -> Generated.jiraIssue(n, START.plusSeconds(60L * n)));
        for (int page = 1; page <= PAGES; page++) {
            String body = "{\"issues\": [" + String.join(",", slice(issues, page)) + "], "
                    + (page < PAGES ? "\"nextPageToken\": \"page-" + (page + 1) + "\", \"isLast\": false}" : "\"isLast\": true}");
            upstream.stubFor(get(urlPathEqualTo("/jira/rest/api/3/search/jql"))
                    .withQueryParam("nextPageToken", page == 1 ? absent() : equalTo("page-" + page))
                    .willReturn(page(body, page, slow)));
        }
    }

    /**
     * An anonymous OCI distribution registry (no referrers API: 404) holding {@code acme/crash} with 30
     * tags, each an image manifest of its own (one layer, the shared image config); the HEAD of every
     * tag after the first chunk is slow.
     */
    private void stubRegistry(boolean slow) throws Exception {
        registry.stubFor(any(urlMatching("/v2/.*")).atPriority(10).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}")));
        registry.stubFor(get(urlEqualTo("/v2/")).atPriority(1).willReturn(okJson("{}")));
        List<String> tags = Generated.range(0, TAGS, i -> "1.0." + i);
        registry.stubFor(get(urlEqualTo("/v2/acme/crash/tags/list?n=100")).atPriority(1)
                .willReturn(okJson("{\"name\":\"acme/crash\",\"tags\":[\"" + String.join("\",\"", tags) + "\"]}")));
        byte[] config = ("{\"created\":\"" + START + "\",\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}").getBytes(StandardCharsets.UTF_8);
        String configDigest = digest(config);
        registry.stubFor(get(urlEqualTo("/v2/acme/crash/blobs/" + configDigest)).atPriority(1).willReturn(aResponse()
                .withHeader("Content-Type", "application/octet-stream").withHeader("Docker-Content-Digest", configDigest)
                .withBody(config)));
        for (int i = 0; i < TAGS; i++) {
            byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
                    + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":" + config.length
                    + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\""
                    + digest(("layer " + i).getBytes(StandardCharsets.UTF_8)) + "\",\"size\":" + (1024 + i) + "}],"
                    + "\"annotations\":{\"org.opencontainers.image.version\":\"" + tags.get(i) + "\"}}")
                    .getBytes(StandardCharsets.UTF_8);
            String digest = digest(manifest);
            ResponseDefinitionBuilder head = aResponse().withHeader("Docker-Content-Digest", digest)
                    .withHeader("Content-Type", OCI_MANIFEST);
            if (slow && i >= TAG_CHUNK) {
                head = head.withFixedDelay(SLOW_TAG_MS);
            }
            registry.stubFor(request("HEAD", urlEqualTo("/v2/acme/crash/manifests/" + tags.get(i))).atPriority(1).willReturn(head));
            registry.stubFor(get(urlEqualTo("/v2/acme/crash/manifests/" + digest)).atPriority(1).willReturn(aResponse()
                    .withHeader("Docker-Content-Digest", digest).withHeader("Content-Type", OCI_MANIFEST).withBody(manifest)));
        }
    }

    private static String digest(byte[] content) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }

    private AssayProcess start(Path dir, Path sources, int port) throws Exception {
        return AssayProcess.start(dir.resolve("assay.log"), port, Map.of(
                "ASSAY_DATA_DIR", dir.resolve("data").toString(),
                "ASSAY_SOURCES_FILE", sources.toString(),
                "ASSAY_ADMIN_TOKEN", ADMIN_TOKEN,
                "ASSAY_ADMIN_PASSWORD", "crash-test-admin-password-1",
                "CRASH_GH_TOKEN", "gh-crash-token",
                "CRASH_GL_TOKEN", "gl-crash-token",
                "CRASH_JK_BASIC", "jenkins-user:jk-crash-token",
                "CRASH_PD_TOKEN", "pd-crash-token",
                "CRASH_OG_KEY", "og-crash-key",
                "CRASH_JIRA_BASIC", "crash@example.com:jira-crash-token"), List.of(
                // the seven collections run at once (each holds a pool connection while it reads a chunk)
                "--assay.collect.threads=8", "--spring.datasource.hikari.maximum-pool-size=16",
                "--assay.collect.collect-on-first-start=false", "--assay.collect.schedules-enabled=false",
                "--assay.collect.heartbeat-interval=PT1S", "--assay.collect.run-stale-after=PT5S",
                "--assay.findings.policy-checks-scheduled=false", "--assay.metrics.scheduling-enabled=false"));
    }

    private long launch(int port, String source) throws Exception {
        HttpResponse<String> answer = collect(port, source);
        assertThat(answer.statusCode()).as(source + ": " + answer.body()).isEqualTo(202);
        return json.readTree(answer.body()).path("execution_id").asLong();
    }

    /** Right after the restart the dead run's lock still looks alive until its heartbeat is stale: 409, then 202. */
    private long launchWhenAccepted(int port, String source, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> answer = collect(port, source);
            if (answer.statusCode() == 202) {
                return json.readTree(answer.body()).path("execution_id").asLong();
            }
            assertThat(answer.statusCode()).as(source + ": " + answer.body()).isEqualTo(409);
            Thread.sleep(1_000);
        }
        throw new AssertionError("the collection of " + source + " was never accepted again");
    }

    private HttpResponse<String> collect(int port, String source) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/sources/" + source + "/collect"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode waitFor(int port, long execution, Predicate<JsonNode> condition, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode job = null;
        while (Instant.now().isBefore(deadline)) {
            job = api(port, "/api/v1/jobs/" + execution);
            if (condition.test(job)) {
                return job;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("job " + execution + " did not get there: " + job);
    }

    private JsonNode api(int port, String path) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(200);
        return json.readTree(answer.body());
    }
}

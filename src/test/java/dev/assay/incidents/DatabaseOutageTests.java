package dev.assay.incidents;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import dev.assay.AssayProcess;
import dev.assay.PrivatePostgres;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The database stopped mid-collection, then started again (DESIGN §7, issue 10 "Faults"): Assay runs
 * as a real child process on a PostgreSQL cluster of the test's own ({@link PrivatePostgres}),
 * collecting 400 PagerDuty incidents from a slow upstream; once the first page is stored the server
 * is stopped with {@code pg_ctl stop -m immediate}, stays down, and is started again. Assay itself is
 * not restarted.
 * <p>
 * Assay's pool waits 2 s for a connection here (30 s by default), so that an outage of seconds does
 * what a longer one does with the defaults: the running job gives up while the database is still
 * down, and cannot record its own end (the job repository keeps saying STARTED). The database stays
 * down until Assay's log shows exactly that. Then:
 * <ul>
 * <li>during the outage Assay answers: {@code /actuator/health} 503 DOWN, liveness 200, an API
 * request 500 (within seconds, no detail);</li>
 * <li>after the restart, without restarting Assay: health is UP again, the interrupted run is
 * FAILED (its instance recovers it once its lock is stale) with a plain message naming the database,
 * a re-run is accepted at once (202) and completes, and the 400 incidents are stored once each (API
 * and {@code incident} rows); the session made before the outage opens the incidents page.</li>
 * </ul>
 * Before the fix the heartbeat kept touching the dead run's lock: the run was still STARTED 30 s after
 * the restart (this test failed there), so a re-run would have been refused (409) for as long as
 * Assay ran; a failure's message, when recorded, was a stack trace.
 * <p>
 * Tag {@code process}: the full suite only (an application process and a PostgreSQL server).
 */
@Tag("process")
class DatabaseOutageTests {

    static final String ADMIN_TOKEN = "outage-test-admin-token-0123456789";
    static final String ADMIN_PASSWORD = "outage-test-admin-password-1";
    static final Instant START = Instant.now().minus(Duration.ofDays(10));
    static final Duration MINIMUM_OUTAGE = Duration.ofSeconds(8);
    static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"|value=\"([^\"]+)\"\\s+name=\"_csrf\"");

    final WireMockServer upstream = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final JsonMapper json = JsonMapper.builder().build();
    PrivatePostgres postgres;
    AssayProcess assay;

    @AfterEach
    void stop() {
        if (assay != null) {
            assay.close();
            keep(assay.log(), "assay.log");
        }
        upstream.stop();
        if (postgres != null) {
            keep(postgres.serverLog(), "postgres.log");
            postgres.close();
        }
    }

    /** Assay's and the server's logs outlive the temporary folders, in target/, for a failure's post-mortem. */
    private static void keep(Path log, String name) {
        try {
            Files.copy(log, Path.of("target", DatabaseOutageTests.class.getSimpleName() + "-" + name),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            System.err.println("Could not keep " + log + ": " + e.getMessage());
        }
    }

    @Test
    void aCollectionInterruptedByADatabaseOutageFailsPlainlyAndTheRerunStoresEveryIncidentOnce(@TempDir Path dir)
            throws Exception {
        postgres = PrivatePostgres.start();
        postgres.createDatabase("assay");
        upstream.start();
        for (int page = 0; page < 4; page++) {
            String body = Generated.pagerDutyPage(Generated.pagerDutyIncidents(page * 100, page * 100 + 100, START, "PSERVICE"),
                    page * 100, page < 3);
            var answer = okJson(body);
            if (page > 0) {
                answer = aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body)
                        .withFixedDelay(2_000);
            }
            upstream.stubFor(get(urlPathEqualTo("/pd/incidents")).withQueryParam("offset", equalTo(String.valueOf(page * 100)))
                    .willReturn(answer));
        }
        Path sources = dir.resolve("sources.yml");
        Files.writeString(sources, """
                sources:
                  - id: pd
                    type: pagerduty
                    base-url: http://127.0.0.1:%d/pd
                    token-env: OUTAGE_PD_TOKEN
                    lookback: P30D
                    window: P30D
                """.formatted(upstream.port()));
        int port = AssayProcess.freePort();
        assay = AssayProcess.start(dir.resolve("assay.log"), port, Map.of(
                "ASSAY_DATA_DIR", dir.resolve("data").toString(),
                "ASSAY_SOURCES_FILE", sources.toString(),
                "ASSAY_ADMIN_TOKEN", ADMIN_TOKEN,
                "ASSAY_ADMIN_PASSWORD", ADMIN_PASSWORD,
                "OUTAGE_PD_TOKEN", "pd-outage-token"), List.of(
                "--spring.profiles.active=postgres",
                "--spring.datasource.url=" + postgres.url("assay"),
                "--spring.datasource.username=" + PrivatePostgres.USER,
                "--spring.datasource.password=", "--spring.datasource.hikari.connection-timeout=2000",
                "--assay.collect.collect-on-first-start=false", "--assay.collect.heartbeat-interval=PT1S",
                "--assay.collect.run-stale-after=PT5S", "--assay.findings.policy-checks-scheduled=false",
                "--assay.metrics.scheduling-enabled=false"));
        String session = login(port);

        long first = launch(port);
        waitFor(port, first, job -> job.path("written").asLong() >= 100, Duration.ofSeconds(60));

        Instant down = Instant.now();
        postgres.stopImmediately();
        Thread.sleep(3_000);
        Probe healthDuring = probe(port, "/actuator/health", null);
        Probe livenessDuring = probe(port, "/actuator/health/liveness", null);
        Probe jobDuring = probe(port, "/api/v1/jobs/" + first, ADMIN_TOKEN);
        // Down until the job has given up in Assay's memory while its end cannot be recorded (the job repository
        // still says STARTED): what an outage longer than the pool's connection-timeout does to a running collection.
        String endedUnrecorded = "Collection " + first + " of source pd ended here (FAILED); cannot check yet that its end is recorded";
        awaitLog(endedUnrecorded, Duration.ofSeconds(60));
        Thread.sleep(Math.max(2_000, Duration.between(Instant.now(), down.plus(MINIMUM_OUTAGE)).toMillis()));
        postgres.startServer();
        Instant up = Instant.now();
        // The pool opens new connections again after its retry back-off (up to 5 s): health answers UP then.
        Duration healthyAgain = awaitHealthy(port, Duration.ofSeconds(30));
        System.out.println("Outage " + Duration.between(down, up).toMillis() + " ms; during it: " + healthDuring + "; "
                + livenessDuring + "; " + jobDuring + "; health UP again " + healthyAgain.toMillis() + " ms after the restart");

        JsonNode interrupted = waitFor(port, first, job -> !job.path("status").asString().matches("STARTING|STARTED"),
                Duration.ofSeconds(30));
        System.out.println("Interrupted job, " + Duration.between(up, Instant.now()).toMillis() + " ms after the restart: "
                + interrupted);
        long second = launch(port);
        JsonNode done = waitFor(port, second, job -> !job.path("status").asString().matches("STARTING|STARTED"),
                Duration.ofSeconds(60));
        System.out.println("Re-run: " + done);

        // While the database was down Assay answered: health DOWN (503) once the pool gave up waiting, liveness UP,
        // a request that needs the database a plain 500 (no hang, no stack trace in the answer).
        assertThat(healthDuring.status()).as(healthDuring.toString()).isEqualTo(503);
        assertThat(healthDuring.body()).contains("\"status\":\"DOWN\"");
        assertThat(livenessDuring.status()).as(livenessDuring.toString()).isEqualTo(200);
        assertThat(jobDuring.status()).as(jobDuring.toString()).isEqualTo(500);
        assertThat(jobDuring.body()).doesNotContain("Exception", "jdbc", "postgres");
        assertThat(List.of(healthDuring, jobDuring)).allSatisfy(p -> assertThat(p.millis()).isLessThan(10_000));

        // The interrupted run is FAILED, with its first page counted, and says why in plain words.
        assertThat(interrupted.path("status").asString()).isEqualTo("FAILED");
        assertThat(interrupted.path("written").asLong()).isEqualTo(100);
        assertThat(interrupted.path("exit_message").asString())
                .startsWith("The database could not be reached, so the collection stopped (")
                .endsWith("run the collection again once the database is back; it stores what is missing, nothing twice.")
                .doesNotContain("\tat ", "Exception");
        // The re-run, accepted at once, completed; every incident is stored exactly once.
        assertThat(done.path("status").asString()).isEqualTo("COMPLETED");
        assertThat(done.path("read").asLong()).isEqualTo(400);
        assertThat(api(port, "/api/v1/incidents?size=1&window=P90D").path("total").asLong()).isEqualTo(400);
        assertThat(incidentRows()).containsExactly(400L, 400L);
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/incidents?window=P30D"))
                .header("Cookie", "JSESSIONID=" + session).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Generated incident");
    }

    record Probe(String path, int status, String body, long millis) {
        @Override
        public String toString() {
            return path + " answered " + status + " " + body + " in " + millis + " ms";
        }
    }

    private Probe probe(int port, String path, String token) throws Exception {
        Instant sent = Instant.now();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(15));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Probe(path, answer.statusCode(), answer.body(), Duration.between(sent, Instant.now()).toMillis());
    }

    private Duration awaitHealthy(int port, Duration timeout) throws Exception {
        Instant from = Instant.now();
        Probe health = probe(port, "/actuator/health", null);
        while (health.status() != 200) {
            if (Instant.now().isAfter(from.plus(timeout))) {
                throw new AssertionError("Assay did not get healthy again: " + health);
            }
            Thread.sleep(250);
            health = probe(port, "/actuator/health", null);
        }
        return Duration.between(from, Instant.now());
    }

    private void awaitLog(String text, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (!assay.logText().contains(text)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Assay's log never said: " + text);
            }
            Thread.sleep(250);
        }
    }

    /** Rows of the {@code incident} table of source pd, and distinct incidents among them. */
    private List<Long> incidentRows() throws Exception {
        try (Connection connection = DriverManager.getConnection(postgres.url("assay"), PrivatePostgres.USER, "");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "select count(*), count(distinct external_id) from incident where source_id = 'pd'")) {
            rows.next();
            return List.of(rows.getLong(1), rows.getLong(2));
        }
    }

    private String login(int port) throws Exception {
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login")).build(),
                HttpResponse.BodyHandlers.ofString());
        String anonymous = cookie(form);
        Matcher csrf = CSRF.matcher(form.body());
        assertThat(csrf.find()).isTrue();
        String token = csrf.group(1) != null ? csrf.group(1) : csrf.group(2);
        String body = "username=admin&password=" + URLEncoder.encode(ADMIN_PASSWORD, StandardCharsets.UTF_8) + "&_csrf="
                + URLEncoder.encode(token, StandardCharsets.UTF_8);
        HttpRequest.Builder post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body));
        if (anonymous != null) {
            post.header("Cookie", "JSESSIONID=" + anonymous);
        }
        HttpResponse<String> login = http.send(post.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(302);
        String session = cookie(login);
        assertThat(session).isNotNull();
        return session;
    }

    private static String cookie(HttpResponse<String> response) {
        for (String cookie : response.headers().allValues("Set-Cookie")) {
            if (cookie.startsWith("JSESSIONID=")) {
                return cookie.substring("JSESSIONID=".length(), cookie.indexOf(';'));
            }
        }
        return null;
    }

    private long launch(int port) throws Exception {
        HttpResponse<String> answer = collect(port);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        return json.readTree(answer.body()).path("execution_id").asLong();
    }

    private HttpResponse<String> collect(int port) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/sources/pd/collect"))
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

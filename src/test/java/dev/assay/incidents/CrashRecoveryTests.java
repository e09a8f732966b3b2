package dev.assay.incidents;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import dev.assay.AssayProcess;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A kill -9 of the application in the middle of a collection, then a restart (DESIGN §7): Assay
 * runs as a real child process on an H2 file database, collecting 400 PagerDuty incidents from a
 * slow upstream; it is killed (SIGKILL) once the first page is stored. After the restart the
 * database opens, the dead run is recovered as FAILED (its heartbeat stopped), a new collection is
 * accepted and completes, and every incident is stored exactly once.
 * <p>
 * Tag {@code process}: the full suite only (it starts the application twice, about a minute).
 */
@Tag("process")
class CrashRecoveryTests {

    static final String ADMIN_TOKEN = "crash-test-admin-token-0123456789";
    static final Instant START = Instant.now().minus(Duration.ofDays(10));

    final WireMockServer upstream = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final JsonMapper json = JsonMapper.builder().build();
    AssayProcess assay;

    @AfterEach
    void stop() {
        if (assay != null) {
            assay.close();
        }
        upstream.stop();
    }

    @Test
    void aCollectionKilledMidRunIsRecoveredAndNothingIsLostOrDuplicated(@TempDir Path dir) throws Exception {
        upstream.start();
        for (int page = 0; page < 4; page++) {
            String body = Generated.pagerDutyPage(Generated.pagerDutyIncidents(page * 100, page * 100 + 100, START, "PSERVICE"),
                    page * 100, page < 3);
            var answer = okJson(body);
            if (page > 0) {
                answer = aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body)
                        .withFixedDelay(3_000);
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
                    token-env: CRASH_PD_TOKEN
                    lookback: P30D
                    window: P30D
                """.formatted(upstream.port()));
        int port = AssayProcess.freePort();

        assay = start(dir, sources, port);
        long first = launch(port);
        waitFor(port, first, job -> job.path("written").asLong() >= 100, Duration.ofSeconds(60));
        assertThat(assay.kill()).as("killed by SIGKILL").isEqualTo(137);

        assay = start(dir, sources, port);
        long second = launchWhenAccepted(port, Duration.ofSeconds(60));
        JsonNode done = waitFor(port, second, job -> !job.path("status").asString().matches("STARTING|STARTED"), Duration.ofSeconds(90));

        assertThat(done.path("status").asString()).isEqualTo("COMPLETED");
        assertThat(api(port, "/api/v1/jobs/" + first).path("status").asString()).isEqualTo("FAILED");
        assertThat(api(port, "/api/v1/incidents?size=1&window=P90D").path("total").asLong()).isEqualTo(400);
        assertThat(second).isNotEqualTo(first);
    }

    private AssayProcess start(Path dir, Path sources, int port) throws Exception {
        return AssayProcess.start(dir.resolve("assay.log"), port, Map.of(
                "ASSAY_DATA_DIR", dir.resolve("data").toString(),
                "ASSAY_SOURCES_FILE", sources.toString(),
                "ASSAY_ADMIN_TOKEN", ADMIN_TOKEN,
                "ASSAY_ADMIN_PASSWORD", "crash-test-admin-password-1",
                "CRASH_PD_TOKEN", "pd-crash-token"), List.of(
                "--assay.collect.collect-on-first-start=false", "--assay.collect.heartbeat-interval=PT1S",
                "--assay.collect.run-stale-after=PT5S", "--assay.findings.policy-checks-scheduled=false",
                "--assay.metrics.scheduling-enabled=false"));
    }

    private long launch(int port) throws Exception {
        HttpResponse<String> answer = collect(port);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        return json.readTree(answer.body()).path("execution_id").asLong();
    }

    /** Right after the restart the dead run's lock still looks alive until its heartbeat is stale: 409, then 202. */
    private long launchWhenAccepted(int port, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> answer = collect(port);
            if (answer.statusCode() == 202) {
                return json.readTree(answer.body()).path("execution_id").asLong();
            }
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(409);
            Thread.sleep(1_000);
        }
        throw new AssertionError("the collection was never accepted again");
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

package dev.assay.incidents;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

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
    Process assay;

    @AfterEach
    void stop() {
        if (assay != null) {
            assay.destroyForcibly();
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
        int port = freePort();

        assay = start(dir, sources, port);
        long first = launch(port);
        waitFor(port, first, job -> job.path("written").asLong() >= 100, Duration.ofSeconds(60));
        assay.destroyForcibly().waitFor();
        assertThat(assay.exitValue()).as("killed by SIGKILL").isEqualTo(137);

        assay = start(dir, sources, port);
        long second = launchWhenAccepted(port, Duration.ofSeconds(60));
        JsonNode done = waitFor(port, second, job -> !job.path("status").asString().matches("STARTING|STARTED"), Duration.ofSeconds(90));

        assertThat(done.path("status").asString()).isEqualTo("COMPLETED");
        assertThat(api(port, "/api/v1/jobs/" + first).path("status").asString()).isEqualTo("FAILED");
        assertThat(api(port, "/api/v1/incidents?size=1&window=P90D").path("total").asLong()).isEqualTo(400);
        assertThat(second).isNotEqualTo(first);
    }

    private Process start(Path dir, Path sources, int port) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(javaBinary(), "-Xmx512m", "-cp", applicationClasspath(),
                "dev.assay.AssayApplication", "--server.port=" + port, "--server.address=127.0.0.1",
                "--assay.collect.collect-on-first-start=false", "--assay.collect.heartbeat-interval=PT1S",
                "--assay.collect.run-stale-after=PT5S", "--assay.findings.policy-checks-scheduled=false",
                "--assay.metrics.scheduling-enabled=false");
        builder.environment().put("ASSAY_DATA_DIR", dir.resolve("data").toString());
        builder.environment().put("ASSAY_SOURCES_FILE", sources.toString());
        builder.environment().put("ASSAY_ADMIN_TOKEN", ADMIN_TOKEN);
        builder.environment().put("ASSAY_ADMIN_PASSWORD", "crash-test-admin-password-1");
        builder.environment().put("CRASH_PD_TOKEN", "pd-crash-token");
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("assay.log").toFile()));
        Process process = builder.start();
        Instant deadline = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("Assay exited: " + Files.readString(dir.resolve("assay.log")));
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return process;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(500);
        }
        throw new AssertionError("Assay did not start in 120 s");
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

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** The test JVM's classpath (unpacked from Surefire's manifest-only jar) without the test classes. */
    private static String applicationClasspath() throws IOException {
        List<String> entries = new ArrayList<>(Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator)));
        if (entries.size() == 1 && entries.get(0).contains("surefirebooter")) {
            try (JarFile booter = new JarFile(entries.get(0))) {
                String manifestPath = booter.getManifest().getMainAttributes().getValue("Class-Path");
                entries = Arrays.stream(manifestPath.split(" ")).filter(s -> !s.isBlank())
                        .map(url -> Path.of(URI.create(url.startsWith("file:") ? url : "file:" + url)).toString()).toList();
            }
        }
        return entries.stream().filter(e -> !e.contains("test-classes")).collect(Collectors.joining(File.pathSeparator));
    }
}

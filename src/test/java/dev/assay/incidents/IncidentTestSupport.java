package dev.assay.incidents;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import dev.assay.AssayIntegrationTest;
import dev.assay.DatabaseCleaner;
import dev.assay.collect.CollectionLauncher;
import dev.assay.collect.CollectionRuns;
import dev.assay.collect.JobExecutions;
import dev.assay.collect.JobStatus;
import dev.assay.collect.http.Sleeper;

/**
 * What every incident integration test shares, so they share one Spring context: one WireMock
 * server (started once for the JVM, on a free port) playing PagerDuty, Opsgenie and Jira under
 * path prefixes ({@code /pd}, {@code /og}, {@code /jira3}...), the sources file
 * {@code src/test/resources/sources/incidents-sources.yml} with that port filled in, a clock the
 * tests set, and a {@link Sleeper} that records waits instead of sleeping.
 */
@AssayIntegrationTest
@Import(IncidentTestSupport.TestBeans.class)
abstract class IncidentTestSupport {

    /** Started once: its port is in the sources file of the cached context. */
    static final WireMockServer UPSTREAM = startUpstream();
    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path FIXTURES = ROOT.resolve("src/test/resources/fixtures/incidents");

    @Autowired DataSource dataSource;
    @Autowired CollectionLauncher launcher;
    @Autowired JobExecutions executions;
    @Autowired MutableClock clock;
    @Autowired RecordingSleeper sleeper;

    JdbcTemplate jdbc;

    private static WireMockServer startUpstream() {
        WireMockServer server = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        return server;
    }

    @DynamicPropertySource
    static void incidentSources(DynamicPropertyRegistry registry) {
        registry.add("assay.sources-file", IncidentTestSupport::writeSourcesFile);
        registry.add("TEST_PAGERDUTY_TOKEN", () -> "pd-test-token");
        registry.add("TEST_OPSGENIE_KEY", () -> "og-test-key");
        registry.add("TEST_JIRA_BASIC", () -> "tester@example.com:jira-test-token");
        registry.add("TEST_JIRA_PAT", () -> "jira-test-pat");
        // A request that takes longer than this times out (the timeout fault test delays its answer 4 s).
        registry.add("assay.collect.http.request-timeout", () -> "PT2S");
        // Smaller than the default (100, a page) so that the fault tests see chunks commit within a page.
        registry.add("assay.incidents.collect.chunk-size", () -> "25");
    }

    private static String writeSourcesFile() {
        try {
            String template = Files.readString(ROOT.resolve("src/test/resources/sources/incidents-sources.yml"));
            String text = template.replace("@PORT@", String.valueOf(UPSTREAM.port()))
                    .replace("@FIXTURES@", FIXTURES.toString()).replace("@ROOT@", ROOT.toString());
            Path dir = ROOT.resolve("target/incident-tests");
            Files.createDirectories(dir);
            Path file = dir.resolve("incidents-sources.yml");
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeEach
    void resetWorld() {
        new DatabaseCleaner(dataSource).cleanAll();
        jdbc = new JdbcTemplate(dataSource);
        UPSTREAM.resetAll();
        sleeper.waits.clear();
        clock.set(Instant.parse("2024-06-01T00:00:00Z"));
    }

    JobStatus collect(String sourceId) {
        JobStatus status = CollectionRuns.collectAndWait(launcher, executions, sourceId);
        // A job instance is keyed by its launch time (the clock's milliseconds): with a fixed clock the
        // next collection would be the same, completed instance.
        clock.set(clock.instant().plusMillis(1));
        return status;
    }

    int count(String sql, Object... args) {
        return jdbc.queryForObject(sql, Integer.class, args);
    }

    static String fixture(String name) {
        try {
            return Files.readString(FIXTURES.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A clock the tests set; every bean that takes the application's Clock gets this one. */
    static final class MutableClock extends Clock {

        private volatile Instant now = Instant.parse("2024-06-01T00:00:00Z");

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return Clock.fixed(now, zone);
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** Records the waits the HTTP client asked for, without waiting. */
    static final class RecordingSleeper implements Sleeper {

        final List<Duration> waits = new CopyOnWriteArrayList<>();

        @Override
        public void sleep(Duration duration) {
            waits.add(duration);
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class TestBeans {

        @Bean
        @Primary
        MutableClock incidentTestClock() {
            return new MutableClock();
        }

        @Bean
        RecordingSleeper incidentTestSleeper() {
            return new RecordingSleeper();
        }
    }
}

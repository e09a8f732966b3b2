package dev.assay.builds;

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
 * What every CI integration test shares, so they share one Spring context: one WireMock server
 * playing GitHub ({@code /gh}, GitHub Enterprise {@code /ghe/api/v3}), GitLab ({@code /gl}) and
 * Jenkins ({@code /jk}), the sources file {@code src/test/resources/sources/builds-sources.yml}
 * with its port filled in, the test catalog collected before each test, a clock the tests set and a
 * {@link Sleeper} that records waits instead of sleeping.
 */
@AssayIntegrationTest
@Import(BuildsTestSupport.TestBeans.class)
abstract class BuildsTestSupport {

    static final WireMockServer UPSTREAM = startUpstream();
    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path FIXTURES = ROOT.resolve("src/test/resources/fixtures/ci");
    static final Instant NOW = Instant.parse("2020-02-01T00:00:00Z");

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
    static void ciSources(DynamicPropertyRegistry registry) {
        registry.add("assay.sources-file", BuildsTestSupport::writeSourcesFile);
        registry.add("TEST_GITHUB_TOKEN", () -> "gh-test-token");
        registry.add("TEST_GITLAB_TOKEN", () -> "gl-test-token");
        registry.add("TEST_JENKINS_BASIC", () -> "jenkins-user:jenkins-test-token");
        registry.add("assay.collect.http.request-timeout", () -> "PT2S");
    }

    private static String writeSourcesFile() {
        try {
            String template = Files.readString(ROOT.resolve("src/test/resources/sources/builds-sources.yml"));
            String text = template.replace("@PORT@", String.valueOf(UPSTREAM.port())).replace("@FIXTURES@", FIXTURES.toString())
                    .replace("@ROOT@", ROOT.toString());
            Path dir = ROOT.resolve("target/builds-tests");
            Files.createDirectories(dir);
            Path file = dir.resolve("builds-sources.yml");
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
        clock.set(NOW);
        JobStatus catalog = collect("ci-catalog");
        if (!"COMPLETED".equals(catalog.status())) {
            throw new IllegalStateException("the test catalog did not load: " + catalog);
        }
    }

    JobStatus collect(String sourceId) {
        JobStatus status = CollectionRuns.collectAndWait(launcher, executions, sourceId);
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

        private volatile Instant now = NOW;

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
        MutableClock buildsTestClock() {
            return new MutableClock();
        }

        @Bean
        RecordingSleeper buildsTestSleeper() {
            return new RecordingSleeper();
        }
    }
}

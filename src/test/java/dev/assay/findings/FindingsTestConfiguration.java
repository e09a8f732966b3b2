package dev.assay.findings;

import java.time.Instant;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * Puts a clock the tests set and move in front of the application's clock ({@code @Primary}: every
 * {@code Clock} injection point gets it, with no bean overriding).
 */
@TestConfiguration(proxyBeanMethods = false)
class FindingsTestConfiguration {

    @Bean
    @Primary
    TestClock findingsTestClock() {
        return new TestClock(Instant.parse("2026-03-01T12:00:00Z"));
    }
}

package dev.assay.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.assay.security.MutableClock;

/** The per-client-address brake on password guessing across accounts. */
class ClientLoginLimiterTests {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
    private final ClientLoginLimiter limiter = new ClientLoginLimiter(
            new SecuritySettings(12, 5, Duration.ofMinutes(15), 3, Duration.ofMinutes(10), 2), clock);

    @Test
    void anAddressIsRefusedAfterTheLimitUntilItsWindowEnds() {
        limiter.recordFailure("10.0.0.1");
        limiter.recordFailure("10.0.0.1");
        assertThat(limiter.isBlocked("10.0.0.1")).isFalse();

        limiter.recordFailure("10.0.0.1");
        assertThat(limiter.isBlocked("10.0.0.1")).isTrue();
        assertThat(limiter.isBlocked("10.0.0.2")).isFalse();

        clock.advance(Duration.ofMinutes(9).plusSeconds(59));
        assertThat(limiter.isBlocked("10.0.0.1")).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(limiter.isBlocked("10.0.0.1")).isFalse();
    }

    @Test
    void onlyTheMostRecentlySeenAddressesAreRemembered() {
        for (int i = 0; i < 3; i++) {
            limiter.recordFailure("10.0.0.1");
        }
        limiter.recordFailure("10.0.0.2");
        limiter.recordFailure("10.0.0.3");

        // At most 2 addresses are tracked: the oldest, 10.0.0.1, was forgotten.
        assertThat(limiter.isBlocked("10.0.0.1")).isFalse();
    }
}

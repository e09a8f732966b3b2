package dev.assay.collect.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.scheduling.support.CronExpression;

/**
 * How long a schedule's ShedLock lock is kept after a firing: a minute (clock skew between instances),
 * or half the time to the next firing when that is shorter, so every firing of a short schedule
 * launches once (TwoInstancesTests shows it with two real instances).
 */
class ScheduledCollectionLockTests {

    static final Instant FIRED = Instant.parse("2026-11-26T10:00:00Z");

    @Test
    void aDailyScheduleKeepsItsLockAMinute() {
        assertThat(ScheduledCollection.lockAtLeast(CronExpression.parse("0 0 3 * * *"), FIRED)).isEqualTo(Duration.ofMinutes(1));
        assertThat(ScheduledCollection.lockAtLeast(CronExpression.parse("@daily"), FIRED)).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void aScheduleFiringEveryTenSecondsKeepsItsLockFiveSeconds() {
        assertThat(ScheduledCollection.lockAtLeast(CronExpression.parse("*/10 * * * * *"), FIRED)).isEqualTo(Duration.ofSeconds(5));
        // Fired a little late (the trigger thread was busy): still half the time left to the next firing.
        assertThat(ScheduledCollection.lockAtLeast(CronExpression.parse("*/10 * * * * *"), FIRED.plusSeconds(2)))
                .isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void anIrregularScheduleUsesTheGapToItsNextFiring() {
        CronExpression twice = CronExpression.parse("0 0,1 10 * * *");
        assertThat(ScheduledCollection.lockAtLeast(twice, FIRED)).isEqualTo(Duration.ofSeconds(30));
        assertThat(ScheduledCollection.lockAtLeast(twice, FIRED.plusSeconds(60))).isEqualTo(Duration.ofMinutes(1));
    }
}

package dev.assay.collect.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.support.CronExpression;

import dev.assay.collect.CollectionAlreadyRunningException;
import dev.assay.collect.CollectionLauncher;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockingTaskExecutor;

/**
 * The launch of one source's collection when its schedule fires, on one instance only: every
 * instance's schedule fires, each tries to take the ShedLock lock {@code collect:<source id>}, and
 * only the one that gets it launches. The lock is held at least {@link #LOCK_AT_LEAST} so an
 * instance whose clock is a little behind does not launch again when its own trigger fires — or half
 * the time to the schedule's next firing when that is shorter, so a schedule firing every few seconds
 * still launches once per firing; the collection itself is then guarded by the launcher's
 * {@code source_run} lock for as long as it runs.
 */
public class ScheduledCollection {

    static final Duration LOCK_AT_LEAST = Duration.ofMinutes(1);
    static final Duration LOCK_AT_MOST = Duration.ofMinutes(5);
    public static final String LAUNCHED_BY = "schedule";
    private static final Logger log = LoggerFactory.getLogger(ScheduledCollection.class);

    private final CollectionLauncher launcher;
    private final LockingTaskExecutor locks;
    private final Clock clock;

    public ScheduledCollection(CollectionLauncher launcher, LockingTaskExecutor locks, Clock clock) {
        this.launcher = launcher;
        this.locks = locks;
        this.clock = clock;
    }

    /** @return whether this instance launched the collection */
    public boolean fire(String sourceId) {
        return fire(sourceId, LOCK_AT_LEAST);
    }

    /** A firing of {@code schedule} (evaluated in UTC), now: the lock is kept until halfway to its next firing, at most a minute. */
    public boolean fire(String sourceId, CronExpression schedule) {
        return fire(sourceId, lockAtLeast(schedule, clock.instant()));
    }

    static Duration lockAtLeast(CronExpression schedule, Instant now) {
        ZonedDateTime next = schedule.next(now.atZone(ZoneOffset.UTC));
        if (next == null) {
            return LOCK_AT_LEAST;
        }
        Duration half = Duration.between(now, next.toInstant()).dividedBy(2);
        return half.compareTo(LOCK_AT_LEAST) < 0 ? half : LOCK_AT_LEAST;
    }

    private boolean fire(String sourceId, Duration lockAtLeast) {
        LockConfiguration lock = new LockConfiguration(clock.instant(), "collect:" + sourceId, LOCK_AT_MOST, lockAtLeast);
        try {
            LockingTaskExecutor.TaskResult<Boolean> result = locks.executeWithLock(() -> launch(sourceId), lock);
            if (!result.wasExecuted()) {
                log.debug("Scheduled collection of {} is being launched by another instance", sourceId);
                return false;
            }
            return Boolean.TRUE.equals(result.getResult());
        } catch (Throwable e) {
            log.warn("Scheduled collection of {} could not be launched: {}", sourceId, e.getMessage());
            return false;
        }
    }

    private boolean launch(String sourceId) {
        try {
            launcher.launch(sourceId, LAUNCHED_BY);
            return true;
        } catch (CollectionAlreadyRunningException e) {
            log.info("Scheduled collection of {} skipped: a collection of it is still running", sourceId);
            return false;
        }
    }
}

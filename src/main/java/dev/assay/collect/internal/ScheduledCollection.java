package dev.assay.collect.internal;

import java.time.Clock;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.assay.collect.CollectionAlreadyRunningException;
import dev.assay.collect.CollectionLauncher;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockingTaskExecutor;

/**
 * The launch of one source's collection when its schedule fires, on one instance only: every
 * instance's schedule fires, each tries to take the ShedLock lock {@code collect:<source id>}, and
 * only the one that gets it launches. The lock is held at least {@link #LOCK_AT_LEAST} so an
 * instance whose clock is a little behind does not launch again when its own trigger fires; the
 * collection itself is then guarded by the launcher's {@code source_run} lock for as long as it runs.
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
        LockConfiguration lock = new LockConfiguration(clock.instant(), "collect:" + sourceId, LOCK_AT_MOST, LOCK_AT_LEAST);
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

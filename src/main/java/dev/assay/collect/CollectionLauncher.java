package dev.assay.collect;

import static dev.assay.collect.internal.db.Tables.SOURCE_RUN;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.AbstractJob;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.TransactionException;

/**
 * Starts the collection of one source. At most one collection of a source runs at a time, across
 * every Assay instance on the same database: a row in {@code source_run} is the lock, and it is
 * held for as long as the job execution it names is running and its instance is alive: the instance
 * touches {@code heartbeat_at} every {@code assay.collect.heartbeat-interval}; when an instance dies
 * mid-collection (kill -9), its execution stays STARTED in the job repository, and the next launch
 * sees the stopped heartbeat, marks that execution FAILED ({@link JobOperator#recover}) and takes
 * the lock over. Every write of a collection is an upsert and its cursor is committed with its
 * chunk, so the new run stores what the dead one did not, and nothing twice.
 * <p>
 * The heartbeat touches only the locks of executions that are still running in this instance. When
 * the database goes away mid-run, the job ends in memory (FAILED) but may fail to record its end, so
 * the repository says STARTED; its lock then goes stale like a dead instance's, and the heartbeat
 * itself recovers it as FAILED once the database answers again, without waiting for the next launch.
 * A failed collection's exit message is plain words ({@link FailureMessage}), not a stack trace.
 */
@Service
public class CollectionLauncher {

    public static final String SOURCE_ID = "sourceId";
    public static final String LAUNCHED_BY = "launchedBy";
    private static final Logger log = LoggerFactory.getLogger(CollectionLauncher.class);
    /** A lock row whose execution was never recorded (the launcher died between insert and start). */
    private static final Duration UNRECORDED_LOCK_GRACE = Duration.ofMinutes(1);

    private final Sources sources;
    private final Map<String, SourceType> types;
    private final JobOperator jobOperator;
    private final JobRepository jobRepository;
    private final DSLContext db;
    private final Clock clock;
    private final Duration runStaleAfter;
    private final String instanceId = UUID.randomUUID().toString();
    /** The executions this instance launched whose end the job repository has not shown yet, by source. */
    private final Map<String, JobExecution> launched = new ConcurrentHashMap<>();

    CollectionLauncher(Sources sources, List<SourceType> types, JobOperator jobOperator, JobRepository jobRepository,
            DSLContext db, Clock clock, CollectSettings settings) {
        this.runStaleAfter = settings.runStaleAfter();
        this.sources = sources;
        this.types = types.stream().collect(Collectors.toMap(SourceType::type, Function.identity()));
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.db = db;
        this.clock = clock;
        FailureMessage failureMessage = new FailureMessage();
        for (SourceType type : types) {
            if (type.job() instanceof AbstractJob job) {
                job.registerJobExecutionListener(failureMessage);
            }
        }
    }

    /**
     * Launches a collection and returns at once with its job execution id.
     *
     * @throws UnknownSourceException            no source has that id
     * @throws CollectionUnavailableException    the source's type has no collector in this version
     * @throws CollectionAlreadyRunningException a collection of that source is running
     */
    public long launch(String sourceId, String launchedBy) {
        SourceDefinition source = sources.find(sourceId).orElseThrow(() -> new UnknownSourceException(sourceId));
        SourceType type = types.get(source.type());
        if (type == null) {
            throw new CollectionUnavailableException(source);
        }
        acquire(sourceId);
        try {
            JobParameters parameters = new JobParametersBuilder()
                    .addString(SOURCE_ID, sourceId)
                    // A random run id, not the time: two launches in the same millisecond (or under a
                    // frozen test clock) must still be two job instances.
                    .addString("runId", UUID.randomUUID().toString())
                    .addLong("launchedAt", clock.millis(), false)
                    .addString(LAUNCHED_BY, launchedBy, false)
                    .toJobParameters();
            JobExecution execution = jobOperator.start(type.job(), parameters);
            db.update(SOURCE_RUN).set(SOURCE_RUN.JOB_EXECUTION_ID, execution.getId())
                    .where(SOURCE_RUN.SOURCE_ID.eq(sourceId)).execute();
            launched.put(sourceId, execution);
            log.info("Collection of source {} launched by {} as job execution {}", sourceId, launchedBy, execution.getId());
            return execution.getId();
        } catch (Exception e) {
            release(sourceId);
            throw new IllegalStateException("Could not start the collection of " + sourceId + ": " + e.getMessage(), e);
        }
    }

    /** Whether a collection of the source is running now. */
    public boolean isRunning(String sourceId) {
        var lock = db.selectFrom(SOURCE_RUN).where(SOURCE_RUN.SOURCE_ID.eq(sourceId)).fetchOne();
        return lock != null && isHeld(lock.getJobExecutionId(), lock.getStartedAt(), lock.getHeartbeatAt());
    }

    /**
     * Called every heartbeat interval: touches the locks of the collections running in this instance,
     * and checks that those which ended here are recorded as ended (recovering them as FAILED once
     * their lock is stale when the end could not be recorded).
     */
    void heartbeat() {
        List<Long> running = launched.values().stream().filter(JobExecution::isRunning).map(JobExecution::getId).toList();
        if (!running.isEmpty()) {
            try {
                db.update(SOURCE_RUN).set(SOURCE_RUN.HEARTBEAT_AT, OffsetDateTime.now(clock))
                        .where(SOURCE_RUN.OWNER_INSTANCE.eq(instanceId).and(SOURCE_RUN.JOB_EXECUTION_ID.in(running)))
                        .execute();
            } catch (DataAccessException | TransactionException unreachable) {
                log.warn("Could not touch the locks of the running collections {}: {}", running, mostSpecific(unreachable));
            }
        }
        launched.forEach((sourceId, execution) -> {
            if (!execution.isRunning()) {
                try {
                    if (isRecordedAsEnded(sourceId, execution)) {
                        launched.remove(sourceId, execution);
                    }
                } catch (DataAccessException | TransactionException unreachable) {
                    log.warn("Collection {} of source {} ended here ({}); cannot check yet that its end is recorded: {}",
                            execution.getId(), sourceId, execution.getStatus(), mostSpecific(unreachable));
                }
            }
        });
    }

    private static String mostSpecific(Exception e) {
        return NestedExceptionUtils.getMostSpecificCause(e).getMessage();
    }

    /**
     * Whether the job repository shows the end of an execution that ended in this instance, or its lock
     * has passed to another run. When the end could not be recorded, the stale lock is recovered here.
     */
    private boolean isRecordedAsEnded(String sourceId, JobExecution ended) {
        var lock = db.selectFrom(SOURCE_RUN).where(SOURCE_RUN.SOURCE_ID.eq(sourceId)).fetchOne();
        if (lock == null || lock.getJobExecutionId() == null || !lock.getJobExecutionId().equals(ended.getId())) {
            return true;
        }
        return !isHeld(ended.getId(), lock.getStartedAt(), lock.getHeartbeatAt());
    }

    public boolean hasType(String type) {
        return types.containsKey(type);
    }

    private void acquire(String sourceId) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        try {
            db.insertInto(SOURCE_RUN)
                    .set(SOURCE_RUN.SOURCE_ID, sourceId)
                    .set(SOURCE_RUN.STARTED_AT, now)
                    .set(SOURCE_RUN.OWNER_INSTANCE, instanceId)
                    .set(SOURCE_RUN.HEARTBEAT_AT, now)
                    .execute();
            return;
        } catch (DuplicateKeyException taken) {
            // fall through: the lock row exists; it may be left over from a finished or crashed run
        }
        var lock = db.selectFrom(SOURCE_RUN).where(SOURCE_RUN.SOURCE_ID.eq(sourceId)).fetchOne();
        if (lock == null) {
            acquire(sourceId);
            return;
        }
        if (isHeld(lock.getJobExecutionId(), lock.getStartedAt(), lock.getHeartbeatAt())) {
            throw new CollectionAlreadyRunningException(sourceId, lock.getJobExecutionId());
        }
        // Take the stale lock over only if nobody else did meanwhile (compare-and-set on started_at).
        int taken = db.update(SOURCE_RUN)
                .set(SOURCE_RUN.STARTED_AT, now)
                .set(SOURCE_RUN.OWNER_INSTANCE, instanceId)
                .set(SOURCE_RUN.HEARTBEAT_AT, now)
                .setNull(SOURCE_RUN.JOB_EXECUTION_ID)
                .where(SOURCE_RUN.SOURCE_ID.eq(sourceId).and(SOURCE_RUN.STARTED_AT.eq(lock.getStartedAt())))
                .execute();
        if (taken != 1) {
            throw new CollectionAlreadyRunningException(sourceId, null);
        }
    }

    /**
     * Whether the lock is held by a live run. A run whose heartbeat is stale is marked FAILED here, with
     * the reason it ended when it ran in this instance, else with a message saying it was abandoned.
     */
    private boolean isHeld(Long jobExecutionId, OffsetDateTime startedAt, OffsetDateTime heartbeatAt) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        if (jobExecutionId == null) {
            return startedAt.isAfter(now.minus(UNRECORDED_LOCK_GRACE));
        }
        JobExecution execution = JobExecutions.execution(jobRepository, jobExecutionId).orElse(null);
        if (execution == null || !execution.isRunning()) {
            return false;
        }
        OffsetDateTime lastSign = heartbeatAt == null ? startedAt : heartbeatAt;
        if (lastSign.isAfter(now.minus(runStaleAfter))) {
            return true;
        }
        log.warn("Job execution {} has had no heartbeat since {}: its instance died or could not record its end;"
                + " marking it FAILED", jobExecutionId, lastSign);
        String why = launched.values().stream()
                .filter(ended -> jobExecutionId.equals(ended.getId()) && !ended.getAllFailureExceptions().isEmpty())
                .findFirst().map(ended -> FailureMessage.of(ended.getAllFailureExceptions()))
                .orElseGet(() -> FailureMessage.abandoned(lastSign.toString()));
        execution.setExitStatus(new ExitStatus(ExitStatus.FAILED.getExitCode(), why));
        jobOperator.recover(execution);
        return false;
    }

    private void release(String sourceId) {
        db.deleteFrom(SOURCE_RUN).where(SOURCE_RUN.SOURCE_ID.eq(sourceId)).execute();
    }
}

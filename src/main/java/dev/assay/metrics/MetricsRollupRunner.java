package dev.assay.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;

import dev.assay.collect.JobExecutions;
import dev.assay.collect.JobStatus;

/**
 * Launches the {@code metricsRollupJob} (asynchronously, like collections) and tells whether one is
 * due: the nightly run, and a run after each collection that finished since the last rollup started.
 */
@Service
public class MetricsRollupRunner {

    public static final String JOB_NAME = "metricsRollupJob";
    private static final Logger log = LoggerFactory.getLogger(MetricsRollupRunner.class);
    private static final int RECENT = 200;
    /** After this, a rollup never ended is presumed dead (its instance stopped; the database released its lock). */
    static final Duration PRESUMED_DEAD_AFTER = Duration.ofHours(2);

    private final JobOperator jobOperator;
    private final Job job;
    private final JobExecutions executions;
    private final Clock clock;

    MetricsRollupRunner(JobOperator jobOperator, @Qualifier(JOB_NAME) Job job, JobExecutions executions, Clock clock) {
        this.jobOperator = jobOperator;
        this.job = job;
        this.executions = executions;
        this.clock = clock;
    }

    /** Starts a run and returns its job execution id at once. */
    public long launch(String reason) {
        JobParameters parameters = new JobParametersBuilder()
                .addString("runId", UUID.randomUUID().toString())
                .addLong("launchedAt", clock.millis(), false)
                .addString("reason", reason, false)
                .toJobParameters();
        try {
            long id = jobOperator.start(job, parameters).getId();
            log.info("Metrics rollup launched ({}) as job execution {}", reason, id);
            return id;
        } catch (Exception e) {
            throw new IllegalStateException("Could not start the metrics rollup: " + e.getMessage(), e);
        }
    }

    /** Launches a run unless one is running (on any instance: the job repository is in the shared database). */
    public Optional<Long> launchUnlessRunning(String reason) {
        Optional<JobStatus> rollup = newestRollup(executions.recent(RECENT));
        if (rollup.isPresent() && running(rollup.get())) {
            log.info("Metrics rollup ({}) not launched: execution {} is still running", reason, rollup.get().executionId());
            return Optional.empty();
        }
        return Optional.of(launch(reason));
    }

    /** Launches a run when a collection finished after the newest rollup started and none is running. */
    public Optional<Long> launchIfCollected() {
        List<JobStatus> recent = executions.recent(RECENT);
        Optional<JobStatus> rollup = newestRollup(recent);
        if (rollup.isPresent() && running(rollup.get())) {
            return Optional.empty();
        }
        Instant lastRollup = rollup.map(s -> s.startedAt() != null ? s.startedAt() : s.createdAt()).orElse(Instant.MIN);
        boolean collectedSince = recent.stream()
                .anyMatch(s -> s.sourceId() != null && s.endedAt() != null && s.endedAt().isAfter(lastRollup));
        return collectedSince ? Optional.of(launch("after collection")) : Optional.empty();
    }

    /**
     * The newest rollup that wrote or is writing (a run that found another instance writing ends with
     * exit code NOOP and does not count).
     */
    private static Optional<JobStatus> newestRollup(List<JobStatus> recent) {
        return recent.stream().filter(s -> JOB_NAME.equals(s.jobName())).filter(s -> !"NOOP".equals(s.exitCode())).findFirst();
    }

    /**
     * Whether a rollup is still running: not ended, and started less than {@link #PRESUMED_DEAD_AFTER}
     * ago. A run older than that is taken as dead (its instance stopped mid-run; the database released
     * the rollup lock with its connection), so it cannot hold back every later rollup.
     */
    private boolean running(JobStatus rollup) {
        Instant started = rollup.startedAt() != null ? rollup.startedAt() : rollup.createdAt();
        return rollup.endedAt() == null && started != null && started.isAfter(clock.instant().minus(PRESUMED_DEAD_AFTER));
    }
}

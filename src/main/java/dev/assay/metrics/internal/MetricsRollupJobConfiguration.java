package dev.assay.metrics.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.assay.metrics.MetricsGauges;
import dev.assay.metrics.MetricsRollupRunner;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;

/**
 * {@code metricsRollupJob}: one step that writes the rollups of the day (see {@link RollupWriter})
 * under the cluster-wide ShedLock lock {@value #LOCK}, so instances sharing a database never write
 * them at the same time: a run that finds the lock taken ends at once with exit code {@code NOOP}
 * and writes nothing. The lock is released when the step ends, or expires after
 * {@link #LOCK_AT_MOST} if its instance died.
 */
@Configuration(proxyBeanMethods = false)
class MetricsRollupJobConfiguration {

    static final String JOB_NAME = "metricsRollupJob";
    static final String LOCK = "metrics-rollup";
    static final Duration LOCK_AT_MOST = MetricsRollupRunner.PRESUMED_DEAD_AFTER;
    private static final Logger log = LoggerFactory.getLogger(MetricsRollupJobConfiguration.class);

    @Bean
    Job metricsRollupJob(JobRepository jobRepository, Step metricsRollupStep) {
        return new JobBuilder(JOB_NAME, jobRepository).start(metricsRollupStep).build();
    }

    @Bean
    Step metricsRollupStep(JobRepository jobRepository, PlatformTransactionManager transactionManager, RollupWriter writer,
            MetricsGauges gauges, LockProvider lockProvider, Clock clock) {
        return new StepBuilder("metricsRollupStep", jobRepository).tasklet((contribution, context) -> {
            Optional<SimpleLock> lock = lockProvider.lock(new LockConfiguration(clock.instant(), LOCK, LOCK_AT_MOST, Duration.ZERO));
            if (lock.isEmpty()) {
                log.info("Metrics rollup skipped: another instance is writing the rollups (lock {})", LOCK);
                contribution.setExitStatus(ExitStatus.NOOP.addExitDescription("another instance is writing the rollups"));
                return RepeatStatus.FINISHED;
            }
            try {
                RollupWriter.Written written = writer.write();
                contribution.incrementWriteCount(written.dailyRows() + written.samples());
            } finally {
                unlockWhenTheStepTransactionEnds(lock.get());
            }
            long started = System.nanoTime();
            gauges.refresh();
            log.info("Prometheus gauges re-read from the rollups in {} ms", (System.nanoTime() - started) / 1_000_000);
            return RepeatStatus.FINISHED;
        }, transactionManager).build();
    }

    /** The rows are visible to other instances only once the step's transaction commits: keep the lock until then. */
    private static void unlockWhenTheStepTransactionEnds(SimpleLock lock) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            lock.unlock();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                lock.unlock();
            }
        });
    }
}

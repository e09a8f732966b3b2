package dev.assay.metrics.internal;

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

import dev.assay.metrics.MetricsGauges;

/**
 * {@code metricsRollupJob}: refreshes PostgreSQL's planner statistics ({@link PlannerStatistics}), then
 * writes the rollups of the day (see {@link RollupWriter}).
 * Instances sharing a database never write them at the same time: the writer holds the
 * {@code metric_rollup_lock} row for its whole transaction, and a run that finds it held ends at once
 * with exit code {@code NOOP}, writing nothing.
 */
@Configuration(proxyBeanMethods = false)
class MetricsRollupJobConfiguration {

    static final String JOB_NAME = "metricsRollupJob";
    private static final Logger log = LoggerFactory.getLogger(MetricsRollupJobConfiguration.class);

    @Bean
    Job metricsRollupJob(JobRepository jobRepository, Step plannerStatisticsStep, Step metricsRollupStep) {
        return new JobBuilder(JOB_NAME, jobRepository).start(plannerStatisticsStep).next(metricsRollupStep).build();
    }

    /** PostgreSQL's planner statistics refreshed first, in a transaction of their own (see {@link PlannerStatistics}). */
    @Bean
    Step plannerStatisticsStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            PlannerStatistics statistics) {
        return new StepBuilder("plannerStatisticsStep", jobRepository).tasklet((contribution, context) -> {
            long started = System.nanoTime();
            if (statistics.refresh()) {
                log.info("Planner statistics refreshed (ANALYZE) in {} ms", (System.nanoTime() - started) / 1_000_000);
            }
            return RepeatStatus.FINISHED;
        }, transactionManager).build();
    }

    @Bean
    Step metricsRollupStep(JobRepository jobRepository, PlatformTransactionManager transactionManager, RollupWriter writer,
            MetricsGauges gauges) {
        return new StepBuilder("metricsRollupStep", jobRepository).tasklet((contribution, context) -> {
            Optional<RollupWriter.Written> written = writer.write();
            if (written.isEmpty()) {
                log.info("Metrics rollup skipped: another instance is writing the rollups");
                contribution.setExitStatus(ExitStatus.NOOP.addExitDescription("another instance is writing the rollups"));
                return RepeatStatus.FINISHED;
            }
            contribution.incrementWriteCount(written.get().dailyRows() + written.get().backfilledRows() + written.get().samples());
            long started = System.nanoTime();
            gauges.refresh();
            log.info("Prometheus gauges re-read from the rollups in {} ms", (System.nanoTime() - started) / 1_000_000);
            return RepeatStatus.FINISHED;
        }, transactionManager).build();
    }
}

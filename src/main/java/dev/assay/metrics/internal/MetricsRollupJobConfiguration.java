package dev.assay.metrics.internal;

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

/** {@code metricsRollupJob}: one step that writes the rollups of the day (see {@link RollupWriter}). */
@Configuration(proxyBeanMethods = false)
class MetricsRollupJobConfiguration {

    static final String JOB_NAME = "metricsRollupJob";

    @Bean
    Job metricsRollupJob(JobRepository jobRepository, Step metricsRollupStep) {
        return new JobBuilder(JOB_NAME, jobRepository).start(metricsRollupStep).build();
    }

    @Bean
    Step metricsRollupStep(JobRepository jobRepository, PlatformTransactionManager transactionManager, RollupWriter writer,
            MetricsGauges gauges) {
        return new StepBuilder("metricsRollupStep", jobRepository).tasklet((contribution, context) -> {
            RollupWriter.Written written = writer.write();
            contribution.incrementWriteCount(written.dailyRows() + written.samples());
            gauges.refresh();
            return RepeatStatus.FINISHED;
        }, transactionManager).build();
    }
}

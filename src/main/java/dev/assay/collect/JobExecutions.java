package dev.assay.collect;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.stereotype.Service;

/** Reads collection job executions from Spring Batch's job repository (in Assay's own database). */
@Service
public class JobExecutions {

    private final JobRepository jobRepository;
    private final Quarantine quarantine;

    JobExecutions(JobRepository jobRepository, Quarantine quarantine) {
        this.jobRepository = jobRepository;
        this.quarantine = quarantine;
    }

    public Optional<JobStatus> find(long executionId) {
        return execution(jobRepository, executionId).map(this::toStatus);
    }

    /** Spring Batch's JDBC repository throws, rather than answering null, for an id it does not know. */
    static Optional<JobExecution> execution(JobRepository jobRepository, long executionId) {
        try {
            return Optional.ofNullable(jobRepository.getJobExecution(executionId));
        } catch (EmptyResultDataAccessException unknown) {
            return Optional.empty();
        }
    }

    /** The newest executions of every job, newest first. */
    public List<JobStatus> recent(int limit) {
        List<JobExecution> executions = new ArrayList<>();
        for (String jobName : jobRepository.getJobNames()) {
            for (JobInstance instance : jobRepository.getJobInstances(jobName, 0, limit)) {
                executions.addAll(jobRepository.getJobExecutions(instance));
            }
        }
        return executions.stream()
                .sorted(Comparator.comparing(JobExecution::getId).reversed())
                .limit(limit)
                .map(this::toStatus)
                .toList();
    }

    /** The newest execution of a source, if it ever ran. */
    public Optional<JobStatus> latestForSource(String sourceId, List<JobStatus> recent) {
        return recent.stream().filter(s -> sourceId.equals(s.sourceId())).findFirst();
    }

    private JobStatus toStatus(JobExecution execution) {
        long read = 0;
        long written = 0;
        long skipped = 0;
        for (StepExecution step : execution.getStepExecutions()) {
            read += step.getReadCount();
            written += step.getWriteCount();
            skipped += step.getSkipCount();
        }
        var parameters = execution.getJobParameters();
        return new JobStatus(execution.getId(), execution.getJobInstance().getJobName(),
                parameters.getString(CollectionLauncher.SOURCE_ID), execution.getStatus().name(),
                execution.getExitStatus().getExitCode(), execution.getExitStatus().getExitDescription(),
                read, written, skipped, quarantine.countForExecution(execution.getId()),
                instant(execution.getCreateTime()), instant(execution.getStartTime()), instant(execution.getEndTime()),
                parameters.getString(CollectionLauncher.LAUNCHED_BY));
    }

    // Spring Batch stores local date-times in the JVM's zone.
    private static Instant instant(LocalDateTime time) {
        return time == null ? null : time.atZone(ZoneId.systemDefault()).toInstant();
    }
}

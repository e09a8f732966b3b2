package dev.assay.collect;

import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import dev.assay.collect.http.Sleeper;

/**
 * Waits (bounded) while a {@code files} collection — the catalog import — is running, so that a
 * collection started together with it (the first start collects every source at once) maps its
 * records to the services of the imported catalog (incidents, pipeline runs). Only executions that have started are waited
 * for: one still queued behind this job would never start while it waits.
 */
public class CatalogWaitTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(CatalogWaitTasklet.class);
    private static final Duration POLL = Duration.ofSeconds(1);

    private final Sources sources;
    private final JobExecutions executions;
    private final Sleeper sleeper;
    private final Duration limit;

    public CatalogWaitTasklet(Sources sources, JobExecutions executions, Sleeper sleeper, Duration limit) {
        this.sources = sources;
        this.executions = executions;
        this.sleeper = sleeper;
        this.limit = limit;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws InterruptedException {
        List<String> fileSources = sources.all().stream().filter(s -> "files".equals(s.type())).map(SourceDefinition::id).toList();
        long polls = Math.max(1, limit.toMillis() / POLL.toMillis());
        for (long i = 0; i < polls; i++) {
            List<JobStatus> running = executions.recent(20).stream()
                    .filter(s -> "STARTED".equals(s.status()) && fileSources.contains(s.sourceId())).toList();
            if (running.isEmpty()) {
                return RepeatStatus.FINISHED;
            }
            if (i == 0) {
                log.info("Waiting for the catalog import ({}) before collecting",
                        running.stream().map(JobStatus::sourceId).toList());
            }
            sleeper.sleep(POLL);
        }
        log.warn("The catalog import still runs after {}: collecting now; services are resolved again at the end of"
                + " the job", limit);
        return RepeatStatus.FINISHED;
    }
}

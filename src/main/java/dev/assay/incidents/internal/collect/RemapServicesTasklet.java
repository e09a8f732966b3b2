package dev.assay.incidents.internal.collect;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import dev.assay.incidents.internal.IncidentStore;
import dev.assay.incidents.internal.ServiceResolver;

/**
 * Resolves the services of all the source's incidents again against the catalog as it is now: a
 * service that gained its {@code pagerduty.com/service-id} annotation since an incident was
 * collected gets that incident, without waiting for the upstream to change it.
 */
public class RemapServicesTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(RemapServicesTasklet.class);

    private final IncidentStore store;
    private final ServiceResolver resolver;
    private final String sourceId;

    public RemapServicesTasklet(IncidentStore store, ServiceResolver resolver, String sourceId) {
        this.store = store;
        this.resolver = resolver;
        this.sourceId = sourceId;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        int changed = store.remapServices(sourceId, resolver.snapshot());
        if (changed > 0) {
            log.info("{}: services of {} incident(s) resolved again against the current catalog", sourceId, changed);
        }
        return RepeatStatus.FINISHED;
    }
}

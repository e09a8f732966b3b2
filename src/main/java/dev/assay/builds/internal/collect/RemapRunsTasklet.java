package dev.assay.builds.internal.collect;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import dev.assay.builds.internal.BuildAnomalies;
import dev.assay.builds.internal.RunRecorder;
import dev.assay.builds.internal.RunStore;

/**
 * Maps the source's unmapped runs again against the catalog as it is now (a service that gained
 * its repository annotation since gets its runs without waiting for them to change upstream), then
 * checks the durations of the runs this collection stored or changed, oldest first (see
 * {@link BuildAnomalies#checkChangedSince}).
 */
class RemapRunsTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(RemapRunsTasklet.class);

    private final RunStore store;
    private final RunRecorder recorder;
    private final BuildAnomalies anomalies;
    private final String sourceId;
    private final java.time.Instant launchedAt;

    RemapRunsTasklet(RunStore store, RunRecorder recorder, BuildAnomalies anomalies, String sourceId,
            java.time.Instant launchedAt) {
        this.store = store;
        this.recorder = recorder;
        this.anomalies = anomalies;
        this.sourceId = sourceId;
        this.launchedAt = launchedAt;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        int mapped = store.remapUnmapped(sourceId, recorder.lookup());
        if (mapped > 0) {
            log.info("{}: {} pipeline run(s) mapped to services of the current catalog", sourceId, mapped);
        }
        int anomalous = anomalies.checkChangedSince(sourceId, launchedAt);
        if (anomalous > 0) {
            log.info("{}: {} pipeline run(s) with an anomalous duration", sourceId, anomalous);
        }
        return RepeatStatus.FINISHED;
    }
}

package dev.assay.builds.internal.collect;

import org.springframework.batch.infrastructure.item.ItemProcessor;

import dev.assay.collect.Cursors;
import dev.assay.collect.Quarantine;
import dev.assay.collect.RecordRejectedException;

/**
 * Maps a collected run; one that cannot be mapped goes to quarantine with the reason (in the chunk's
 * transaction) and the step goes on with the rest of the page.
 */
public class RunItemProcessor implements ItemProcessor<CollectedRun, MappedRun> {

    private final Quarantine quarantine;
    private final Cursors cursors;
    private final long jobExecutionId;

    public RunItemProcessor(Quarantine quarantine, Cursors cursors, long jobExecutionId) {
        this.quarantine = quarantine;
        this.cursors = cursors;
        this.jobExecutionId = jobExecutionId;
    }

    @Override
    public MappedRun process(CollectedRun item) {
        String reason;
        try {
            return new MappedRun(item.mapper().map(item.document()), item);
        } catch (RecordRejectedException e) {
            reason = e.getMessage();
        } catch (RuntimeException e) {
            reason = "unexpected mapping failure: " + e;
        }
        quarantine.hold(item.sourceId(), item.kind(), item.location(), String.valueOf(item.document()), reason,
                jobExecutionId);
        RunCursors.advance(cursors, item);
        return null;
    }
}

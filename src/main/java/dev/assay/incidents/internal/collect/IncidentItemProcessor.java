package dev.assay.incidents.internal.collect;

import org.springframework.batch.infrastructure.item.ItemProcessor;

import dev.assay.collect.Cursors;
import dev.assay.collect.Watermarks;
import dev.assay.collect.Quarantine;
import dev.assay.collect.RecordRejectedException;
import dev.assay.incidents.internal.MappedIncident;

/**
 * Maps one upstream record. A record that cannot be mapped goes to quarantine with the reason (in
 * the chunk's transaction) and the step goes on; its watermark still advances, so the same bad
 * record is not re-read on every run (it is re-read only if the upstream changes it).
 */
public class IncidentItemProcessor implements ItemProcessor<CollectedItem, MappedIncident> {

    /** The mapping of one source type. */
    @FunctionalInterface
    public interface Mapping {
        MappedIncident map(CollectedItem item) throws RecordRejectedException;
    }

    private final Mapping mapping;
    private final Quarantine quarantine;
    private final Cursors cursors;
    private final long jobExecutionId;

    public IncidentItemProcessor(Mapping mapping, Quarantine quarantine, Cursors cursors, long jobExecutionId) {
        this.mapping = mapping;
        this.quarantine = quarantine;
        this.cursors = cursors;
        this.jobExecutionId = jobExecutionId;
    }

    @Override
    public MappedIncident process(CollectedItem item) {
        String reason;
        try {
            MappedIncident mapped = mapping.map(item);
            if (mapped.occurredAt() != null) {
                return mapped.withCursorKey(item.cursorKey());
            }
            reason = "the incident has no timestamp at all, so it cannot be placed in time";
        } catch (RecordRejectedException e) {
            reason = e.getMessage();
        } catch (RuntimeException e) {
            reason = "unexpected mapping failure: " + e;
        }
        quarantine.hold(item.sourceId(), item.kind(), item.location(), item.payload(), reason, jobExecutionId);
        Watermarks.advance(cursors, item.sourceId(), item.cursorKey(), item.cursorAt());
        return null;
    }
}

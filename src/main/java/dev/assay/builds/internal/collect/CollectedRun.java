package dev.assay.builds.internal.collect;

import java.time.Instant;
import java.util.Map;

import dev.assay.builds.internal.PipelineRun;
import dev.assay.collect.RecordRejectedException;
import tools.jackson.databind.JsonNode;

/**
 * One run as read from a CI API, before mapping.
 *
 * @param location     where it was read ({@code GET /repos/o/r/actions/runs page 2 #5 (id 123)}), for quarantine
 * @param mapper       how this document becomes a {@link PipelineRun}
 * @param watermarkKey the cursor this run advances to {@code watermarkAt} when stored (null: none)
 * @param cursorsAfter cursor values to commit with this run: the ETag of the list it closes
 */
public record CollectedRun(String sourceId, String kind, String location, JsonNode document, Mapper mapper,
        String watermarkKey, Instant watermarkAt, Map<String, String> cursorsAfter) {

    @FunctionalInterface
    public interface Mapper {
        PipelineRun map(JsonNode document) throws RecordRejectedException;
    }

    public CollectedRun withCursorsAfter(Map<String, String> cursors) {
        return new CollectedRun(sourceId, kind, location, document, mapper, watermarkKey, watermarkAt, Map.copyOf(cursors));
    }
}

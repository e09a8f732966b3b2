package dev.assay.builds.internal.collect;

import dev.assay.builds.internal.PipelineRun;

/** A collected run after mapping, with the cursors it moves when it is stored. */
public record MappedRun(PipelineRun run, CollectedRun collected) {
}

package dev.assay.builds.internal.collect;

import java.util.Map;

import dev.assay.collect.Cursors;
import dev.assay.collect.Watermarks;

/** Moves the cursors a collected run carries; called in the transaction of the chunk that stored (or quarantined) it. */
final class RunCursors {

    private RunCursors() {
    }

    static void advance(Cursors cursors, CollectedRun run) {
        Watermarks.advance(cursors, run.sourceId(), run.watermarkKey(), run.watermarkAt());
        for (Map.Entry<String, String> cursor : run.cursorsAfter().entrySet()) {
            cursors.put(run.sourceId(), cursor.getKey(), cursor.getValue());
        }
    }
}

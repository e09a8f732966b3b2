package dev.assay.builds.internal.collect;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

import dev.assay.builds.internal.RunRecorder;
import dev.assay.builds.internal.RunServices;
import dev.assay.collect.Cursors;

/** Stores a chunk of runs and moves the cursors they carry: all in the chunk's one transaction. */
public class RunItemWriter implements ItemWriter<MappedRun> {

    private final RunRecorder recorder;
    private final Cursors cursors;

    public RunItemWriter(RunRecorder recorder, Cursors cursors) {
        this.recorder = recorder;
        this.cursors = cursors;
    }

    @Override
    public void write(Chunk<? extends MappedRun> chunk) {
        RunServices.Lookup lookup = recorder.lookup();
        for (MappedRun item : chunk) {
            recorder.record(item.run(), lookup);
            RunCursors.advance(cursors, item.collected());
        }
    }
}

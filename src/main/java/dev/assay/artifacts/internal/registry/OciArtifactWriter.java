package dev.assay.artifacts.internal.registry;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

import dev.assay.artifacts.internal.ArtifactStore;
import dev.assay.artifacts.internal.EvidenceIntake;
import dev.assay.collect.Cursors;

/**
 * Stores collected artifacts, their tags, platforms and evidence, and advances each tag's cursor, in
 * the chunk's one transaction: a crash before the commit re-collects the chunk, and every write is an
 * upsert, so nothing is lost or stored twice.
 */
class OciArtifactWriter implements ItemWriter<CollectedArtifact> {

    private final String sourceId;
    private final ArtifactStore artifacts;
    private final EvidenceIntake intake;
    private final Cursors cursors;

    OciArtifactWriter(String sourceId, ArtifactStore artifacts, EvidenceIntake intake, Cursors cursors) {
        this.sourceId = sourceId;
        this.artifacts = artifacts;
        this.intake = intake;
        this.cursors = cursors;
    }

    @Override
    public void write(Chunk<? extends CollectedArtifact> chunk) {
        for (CollectedArtifact collected : chunk) {
            long id = artifacts.ensure(collected.artifact(), collected.facts(), sourceId);
            artifacts.tag(collected.tag().repository(), collected.tag().tag(), id);
            artifacts.platforms(id, collected.platforms());
            for (EvidenceIntake.Prepared evidence : collected.evidence()) {
                intake.store(evidence);
            }
            cursors.put(sourceId, collected.cursorKey(), collected.cursorValue());
        }
    }
}

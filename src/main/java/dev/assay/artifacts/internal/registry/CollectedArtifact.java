package dev.assay.artifacts.internal.registry;

import java.util.List;

import dev.assay.artifacts.internal.ArtifactStore.ArtifactFacts;
import dev.assay.artifacts.internal.ArtifactStore.PlatformEntry;
import dev.assay.artifacts.internal.EvidenceIntake;
import dev.assay.artifacts.internal.parse.ArtifactRef;

/** What one tag led to: the artifact, its platform manifests, the evidence attached to it and the new cursor. */
public record CollectedArtifact(TagRef tag, ArtifactRef artifact, ArtifactFacts facts, List<PlatformEntry> platforms,
        List<EvidenceIntake.Prepared> evidence, String cursorKey, String cursorValue) {
}

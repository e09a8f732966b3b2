package dev.assay.artifacts.internal.parse;

import java.time.Instant;
import java.util.List;

/**
 * An SBOM in Assay's terms.
 *
 * @param dependencyCount dependency edges between components (CycloneDX {@code dependsOn} entries;
 *                        SPDX dependency, linking and containment relationships between two packages)
 */
public record ParsedSbom(String format, String specVersion, String serialNumber, String tool, Instant createdAt,
        List<ArtifactRef> namedArtifacts, List<SbomComponentItem> components, int dependencyCount) {
}

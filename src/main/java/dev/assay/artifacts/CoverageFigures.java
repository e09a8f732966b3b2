package dev.assay.artifacts;

import java.time.Duration;

import dev.assay.catalog.Ratio;

/** The artifact coverage figures of one scope (organisation, team or service) over one window. */
public record CoverageFigures(Duration window, Ratio signed, Ratio signedUnverified, Ratio scanned, Ratio sbom, Ratio provenance) {
}

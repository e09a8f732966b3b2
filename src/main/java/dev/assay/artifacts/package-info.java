/**
 * Artifact integrity: the OCI registry collector, signatures verified by Assay itself, SBOMs, scan
 * reports, attestations and SLSA provenance, and the signed / scanned / SBOM / provenance coverage
 * figures built on them. Other features use {@link dev.assay.artifacts.ArtifactFigures},
 * {@link dev.assay.artifacts.ScanReports} and the {@link dev.assay.artifacts.ScanIngested} event.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"common", "collect", "collect :: http",
        "collect :: ingest", "catalog", "builds"})
package dev.assay.artifacts;

package dev.assay.artifacts;

import java.time.Instant;
import java.util.List;

/**
 * One artifact in the scope of the coverage figures and which checks it passes (DESIGN §5).
 *
 * @param signed           a signature verified against a key trusted for it
 * @param signedUnverified signatures are present but none verified
 * @param signatureStatus  the best signature status ({@code verified}, {@code bad-signature}, …) or null when unsigned
 * @param scanned          a scan no older than the freshness limit
 * @param provenance       SLSA provenance about this digest that names its build (run URL, or repository and commit)
 */
public record ArtifactCoverage(String digest, List<String> repositories, List<String> tags, Instant publishedAt, boolean signed,
        boolean signedUnverified, String signatureStatus, boolean scanned, Instant lastScannedAt, boolean sbom, boolean provenance) {
}

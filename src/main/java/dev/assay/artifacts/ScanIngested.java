package dev.assay.artifacts;

import java.util.List;

/**
 * A new scan report was stored for an artifact (published inside the transaction that stored it).
 * The findings feature reads its results with {@link ScanReports#findings(long)}.
 *
 * @param serviceNames the catalog services whose image repositories hold the artifact (may be empty)
 */
public record ScanIngested(String artifactDigest, List<String> serviceNames, long scanId) {
}

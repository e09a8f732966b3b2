package dev.assay.artifacts;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A stored scan report.
 *
 * @param counts     unsuppressed results per severity ({@code critical} … {@code unknown})
 * @param scannedAt  when the scanner ran (never later than {@code ingestedAt}); freshness counts from it
 */
public record ScanSummary(long id, String artifactDigest, List<String> repositories, String format, String scanner,
        String scannerVersion, Instant scannedAt, Instant ingestedAt, Map<String, Integer> counts, int resultCount,
        int suppressedCount) {
}

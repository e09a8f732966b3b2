package dev.assay.artifacts.internal.parse;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A scan report in Assay's terms.
 *
 * @param scannedAt  when the scanner says it ran; null when the report does not say
 * @param namedArtifacts the artifacts the report names itself (Trivy's RepoDigests, Grype's repoDigests)
 */
public record ParsedScan(String format, String scanner, String scannerVersion, Instant scannedAt,
        List<ArtifactRef> namedArtifacts, List<ScanItem> items) {

    /** Results per severity; suppressed results are not counted (they are kept and shown as suppressed). */
    public Map<Severity, Integer> counts() {
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) {
            counts.put(s, 0);
        }
        for (ScanItem item : items) {
            if (!item.suppressed()) {
                counts.merge(item.severity(), 1, Integer::sum);
            }
        }
        return counts;
    }

    public int suppressedCount() {
        return (int) items.stream().filter(ScanItem::suppressed).count();
    }
}

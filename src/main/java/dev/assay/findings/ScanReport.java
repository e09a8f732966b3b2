package dev.assay.findings;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Everything one scan of one artifact reported, for {@link FindingsIntake#reportScan(ScanReport)}.
 * The newest scan of an artifact by a scanner replaces what that scanner reported for it before.
 *
 * @param serviceName    the catalog service the artifact belongs to
 * @param artifactDigest e.g. {@code registry.example.com/acme/payments-api@sha256:…} or the bare digest
 * @param scanner        the tool, e.g. {@code trivy}, {@code grype}
 * @param scanId         the id of this scan (unique per scanner), e.g. the stored scan report's id
 * @param scannedAt      when the scan ran (the report's own timestamp, not when it arrived)
 * @param vulnerabilities every result, possibly none (an empty list says the artifact is clean)
 */
public record ScanReport(String serviceName, String artifactDigest, String scanner, String scanId, Instant scannedAt,
        List<ReportedVulnerability> vulnerabilities) {

    public ScanReport {
        // A copy that keeps null entries: a null result is refused with its position, not a crash here.
        vulnerabilities = vulnerabilities == null ? null : Collections.unmodifiableList(new ArrayList<>(vulnerabilities));
    }
}

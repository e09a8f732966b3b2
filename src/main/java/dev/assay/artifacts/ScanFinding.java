package dev.assay.artifacts;

/**
 * One vulnerability or result of a scan report, as the scanner reported it.
 *
 * @param resultId     CVE / GHSA / OSV id, or the SARIF rule id
 * @param kind         {@code vulnerability}, {@code misconfiguration}, {@code secret} or {@code code}
 * @param severity     {@code critical}, {@code high}, {@code medium}, {@code low}, {@code none} or {@code unknown}
 * @param fixedVersion the version(s) that fix it, comma-separated; null when none is known
 * @param suppressed   an accepted SARIF suppression hides it (kept, not counted)
 */
public record ScanFinding(String resultId, String kind, String packageName, String packageType, String purl,
        String installedVersion, String fixedVersion, String severity, Double cvssScore, String cvssVector, String title,
        String location, boolean suppressed, String suppressionStatus) {
}

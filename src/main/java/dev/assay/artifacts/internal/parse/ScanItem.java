package dev.assay.artifacts.internal.parse;

/**
 * One vulnerability or result of a scan report, as the findings feature will consume it.
 *
 * @param resultId          the vulnerability id (CVE, GHSA, GO-…) or the rule id of a SARIF result
 * @param kind              {@code vulnerability}, {@code misconfiguration}, {@code secret} or {@code code}
 * @param fixedVersion      the version(s) that fix it, comma-separated when a scanner lists several
 * @param cvssScore         a CVSS v3 base score where the report gives one (or its vector allows computing it)
 * @param suppressionStatus the SARIF suppression status that decided {@code suppressed}
 */
public record ScanItem(String resultId, String kind, String packageName, String packageType, String purl,
        String installedVersion, String fixedVersion, Severity severity, Double cvssScore, String cvssVector,
        String title, String location, boolean suppressed, String suppressionStatus) {

    public ScanItem {
        if (resultId == null || resultId.isBlank()) {
            throw new IllegalArgumentException("a scan result has no id");
        }
    }
}

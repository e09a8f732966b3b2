package dev.assay.findings.internal;

import java.time.Instant;

import dev.assay.findings.FindingSource;
import dev.assay.findings.FindingStatus;
import dev.assay.findings.Severity;

/**
 * A finding as lists, the API and CSV show it.
 *
 * @param team    the owning team of the service now (from the catalog), or null
 * @param ruleId  the vulnerability id (CVE, GHSA, …), secret rule, IaC check, or policy
 * @param subject the package (scan findings) or the policy subject
 */
public record FindingRow(long id, String service, String team, FindingSource source, String ruleId, String subject,
        String installedVersion, String fixedVersion, String title, Severity severity, Double cvssScore,
        String cvssVector, FindingStatus status, String assignee, Instant firstSeenAt, Instant lastSeenAt,
        Instant dueAt, int slaDays, Instant fixedAt, Instant statusChangedAt, SlaState sla) {
}

package dev.assay.findings;

import java.time.Instant;

import dev.assay.findings.internal.FindingRow;

/**
 * A finding in the API ({@code /api/v1/findings}): snake_case JSON, values as the filters spell them.
 * {@code package_name} / {@code installed_version} are set for scan findings, {@code subject} for policy
 * findings; {@code sla_state} is the countdown the pages show.
 */
record FindingItem(long id, String service, String team, String source, String severity, Double cvssScore,
        String cvssVector, String ruleId, String packageName, String installedVersion, String fixedVersion,
        String subject, String title, String status, String assignee, String firstSeenAt, String lastSeenAt,
        String dueAt, int slaDays, boolean overdue, String slaState, String fixedAt) {

    static FindingItem of(FindingRow f) {
        boolean policy = f.source() == FindingSource.POLICY;
        return new FindingItem(f.id(), f.service(), f.team(), f.source().slug(), f.severity().slug(), f.cvssScore(),
                f.cvssVector(), f.ruleId(), policy ? null : f.subject(), f.installedVersion(), f.fixedVersion(),
                policy ? f.subject() : null, f.title(), f.status().slug(), f.assignee(), text(f.firstSeenAt()),
                text(f.lastSeenAt()), text(f.dueAt()), f.slaDays(), f.sla().overdue(), f.sla().label(), text(f.fixedAt()));
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}

package dev.assay.findings.internal;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A finding's page: the finding, the reports behind it, its history, its risk acceptances, and the
 * actions the current user may take on it.
 *
 * @param detail  a policy finding's evidence text
 * @param pending the pending risk acceptance request, or null
 * @param current the approved risk acceptance in force, or null
 * @param actions the actions the user may take ({@link FindingAction} slugs)
 */
public record FindingDetail(FindingRow finding, String detail, List<Report> reports, List<Event> history,
        List<Acceptance> acceptances, Acceptance pending, Acceptance current, Set<String> actions, List<String> assignees) {

    /** One artifact and scanner that report (or reported) the finding. */
    public record Report(String artifactDigest, String scanner, String scanId, String severity, Double cvssScore,
            String cvssVector, String fixedVersion, Instant firstSeenAt, Instant seenAt, boolean stillReported,
            Instant droppedAt, String droppedByScanId) {
    }

    /** One line of history. */
    public record Event(Instant occurredAt, String actor, String action, String fromStatus, String toStatus, String detail) {
    }

    public boolean can(String action) {
        return actions.contains(action);
    }
}

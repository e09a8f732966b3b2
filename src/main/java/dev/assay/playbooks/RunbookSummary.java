package dev.assay.playbooks;

import java.time.Instant;
import java.util.List;

/**
 * A runbook as lists show it: its scope, current version and review state.
 *
 * @param reviewDueAt last review + review interval; null when it was never reviewed
 * @param stale       never reviewed, or the review interval has passed (judged with the application clock)
 * @param sourceId    the files source that imports it; null when it was created in Assay
 */
public record RunbookSummary(long id, String slug, String title, List<String> services, List<String> teams,
        List<String> incidentTypes, int currentVersion, int reviewIntervalDays, Instant lastReviewedAt,
        String lastReviewedBy, Instant reviewDueAt, boolean stale, Instant createdAt, Instant updatedAt, String sourceId,
        String sourceLocation) {

    public RunbookSummary {
        services = List.copyOf(services);
        teams = List.copyOf(teams);
        incidentTypes = List.copyOf(incidentTypes);
    }
}

package dev.assay.playbooks;

import java.time.Instant;
import java.util.List;

/** A drill as lists and the API show it. */
public record DrillSummary(long id, long runbookId, String runbookSlug, String runbookTitle, int runbookVersion,
        String kind, String status, String outcome, List<String> services, List<String> teams, String createdBy,
        Instant createdAt, Instant startedAt, Instant finishedAt, int steps, int stepsCompleted, int stepsSkipped) {

    public DrillSummary {
        services = List.copyOf(services);
        teams = List.copyOf(teams);
    }
}

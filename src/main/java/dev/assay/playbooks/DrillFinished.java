package dev.assay.playbooks;

import java.time.Instant;
import java.util.List;

/**
 * A drill finished, with its timings. Drills are not incidents: their timings stay in the playbooks
 * tables so they never mix with production MTTx; the incidents feature may listen to mark its
 * {@code is_drill} incident resolved at {@code finishedAt}.
 *
 * @param outcome succeeded, partial or failed
 */
public record DrillFinished(long drillId, long runbookId, String runbookSlug, int runbookVersion, String kind,
        String outcome, List<String> services, List<String> teams, Instant startedAt, Instant finishedAt,
        int stepsCompleted, int stepsSkipped, int stepsNotDone, int stepsLate, String finishedBy) {

    public DrillFinished {
        services = List.copyOf(services);
        teams = List.copyOf(teams);
    }
}

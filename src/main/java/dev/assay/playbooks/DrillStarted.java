package dev.assay.playbooks;

import java.time.Instant;
import java.util.List;

/**
 * A drill began. Published inside the transaction that starts it, so a listener (the incidents
 * feature, to open its {@code is_drill} incident) commits or rolls back with it.
 */
public record DrillStarted(long drillId, long runbookId, String runbookSlug, int runbookVersion, String kind,
        List<String> services, List<String> teams, Instant startedAt, String startedBy) {

    public DrillStarted {
        services = List.copyOf(services);
        teams = List.copyOf(teams);
    }
}

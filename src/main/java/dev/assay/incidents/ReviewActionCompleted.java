package dev.assay.incidents;

import java.time.Instant;
import java.util.List;

/**
 * An action item of a post-incident review was marked done (published inside the transaction that
 * stored it); the findings feature fixes the finding it made of the action.
 *
 * @param services the catalog services the incident affected (may be empty)
 */
public record ReviewActionCompleted(long actionId, long incidentId, List<String> services, String completedBy,
        Instant completedAt) {

    public ReviewActionCompleted {
        services = List.copyOf(services);
    }
}

package dev.assay.incidents;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A post-incident review raised an action item (published inside the transaction that stored it).
 * The findings feature can listen and track it as a finding with its owner and due date.
 *
 * @param services the catalog services the incident affected (may be empty)
 * @param owner    a catalog team name or a username, as the reviewer wrote it
 */
public record ReviewActionRaised(long actionId, long incidentId, String incidentReference, String incidentTitle,
        List<String> services, String description, String owner, LocalDate dueDate, String raisedBy, Instant raisedAt) {

    public ReviewActionRaised {
        services = List.copyOf(services);
    }
}

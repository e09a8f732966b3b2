package dev.assay.incidents;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** A post-incident review with its action items. */
public record ReviewView(long id, long incidentId, String status, String summary, String rootCauses, String wentWell,
        String wentBadly, Instant impactStartedAt, String createdBy, Instant createdAt, String updatedBy, Instant updatedAt,
        List<Action> actions) {

    public ReviewView {
        actions = List.copyOf(actions);
    }

    /** An action item: who does what by when. */
    public record Action(long id, String description, String owner, LocalDate dueDate, String status, String createdBy,
            Instant createdAt, String completedBy, Instant completedAt, boolean overdue) {
    }
}

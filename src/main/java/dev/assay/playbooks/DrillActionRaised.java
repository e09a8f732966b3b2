package dev.assay.playbooks;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A follow-up action was raised from a drill. The findings feature turns it into a finding with
 * this owner and due date; the playbooks feature keeps the action itself (drill_action).
 *
 * @param owner who must do it: a username or a team name, as typed
 */
public record DrillActionRaised(long actionId, long drillId, String runbookSlug, List<String> services,
        List<String> teams, String title, String owner, LocalDate dueOn, String raisedBy, Instant raisedAt) {

    public DrillActionRaised {
        services = List.copyOf(services);
        teams = List.copyOf(teams);
    }
}

package dev.assay.findings.internal;

import java.util.Set;

import dev.assay.findings.FindingSource;
import dev.assay.findings.FindingStatus;
import dev.assay.findings.Severity;

/**
 * What a list of findings is filtered by; null means "any". What the user may see is applied on
 * top by {@link FindingSearch}, whatever the filter says.
 *
 * @param scope    only these services (the owner's queue: the services of the user's teams); null = no limit
 * @param statuses any of these; empty = every status
 */
public record FindingFilter(Set<String> scope, String team, String service, Severity severity, Set<FindingStatus> statuses,
        FindingSource source, DueFilter due, String assignee) {

    public FindingFilter {
        statuses = statuses == null ? Set.of() : Set.copyOf(statuses);
        scope = scope == null ? null : Set.copyOf(scope);
    }

    public static FindingFilter all() {
        return new FindingFilter(null, null, null, null, Set.of(), null, null, null);
    }

    public FindingFilter withService(String name) {
        return new FindingFilter(scope, team, name, severity, statuses, source, due, assignee);
    }
}

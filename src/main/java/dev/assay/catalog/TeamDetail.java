package dev.assay.catalog;

import java.util.List;

/** A team page: the team, its members and the services it owns. */
public record TeamDetail(TeamSummary team, List<Member> members, List<ServiceSummary> services) {

    /** origin is {@code catalog} (from Backstage) or {@code assay} (assigned by an admin). */
    public record Member(String username, String displayName, String email, String origin) {
    }
}

package dev.assay.catalog;

import static dev.assay.catalog.internal.db.Tables.TEAM;
import static dev.assay.catalog.internal.db.Tables.TEAM_MEMBER;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.jooq.DSLContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.assay.common.AuditEvent;

/**
 * Who belongs to which team. Members come from the catalog (Backstage Group members / User memberOf,
 * origin {@code catalog}) or are assigned by an admin in Assay (origin {@code assay}); a username is
 * the same string in both, which is how an Assay user inherits the teams of the catalog person.
 */
@Service
public class TeamMembership {

    public static final String ORIGIN_CATALOG = "catalog";
    public static final String ORIGIN_ASSAY = "assay";

    private final DSLContext db;
    private final ApplicationEventPublisher events;

    TeamMembership(DSLContext db, ApplicationEventPublisher events) {
        this.db = db;
        this.events = events;
    }

    /** The names of the teams the user belongs to, from either origin. */
    public Set<String> teamsOf(String username) {
        return new TreeSet<>(db.selectDistinct(TEAM.NAME).from(TEAM_MEMBER).join(TEAM).on(TEAM.NAME.eq(TEAM_MEMBER.TEAM_NAME))
                .where(TEAM_MEMBER.USERNAME.eq(username)).fetch(TEAM.NAME));
    }

    /** The teams an admin assigned in Assay (the catalog's own memberships are not editable here). */
    public Set<String> assignedTeamsOf(String username) {
        return new TreeSet<>(db.select(TEAM_MEMBER.TEAM_NAME).from(TEAM_MEMBER)
                .where(TEAM_MEMBER.USERNAME.eq(username).and(TEAM_MEMBER.ORIGIN.eq(ORIGIN_ASSAY))).fetch(TEAM_MEMBER.TEAM_NAME));
    }

    public boolean isMember(String username, String teamName) {
        return db.fetchExists(TEAM_MEMBER, TEAM_MEMBER.USERNAME.eq(username).and(TEAM_MEMBER.TEAM_NAME.eq(teamName)));
    }

    public List<String> allTeamNames() {
        return db.select(TEAM.NAME).from(TEAM).orderBy(TEAM.NAME).fetch(TEAM.NAME);
    }

    /**
     * Replaces the Assay-assigned teams of a user. Unknown team names are refused.
     *
     * @throws IllegalArgumentException naming the unknown team
     */
    @Transactional
    public void assignTeams(String username, Set<String> teamNames, String actor) {
        Set<String> before = assignedTeamsOf(username);
        for (String name : teamNames) {
            if (!db.fetchExists(TEAM, TEAM.NAME.eq(name))) {
                throw new IllegalArgumentException("No team named '" + name + "'");
            }
        }
        db.deleteFrom(TEAM_MEMBER).where(TEAM_MEMBER.USERNAME.eq(username).and(TEAM_MEMBER.ORIGIN.eq(ORIGIN_ASSAY)))
                .execute();
        for (String name : teamNames) {
            db.insertInto(TEAM_MEMBER).set(TEAM_MEMBER.TEAM_NAME, name).set(TEAM_MEMBER.USERNAME, username)
                    .set(TEAM_MEMBER.ORIGIN, ORIGIN_ASSAY).onConflictDoNothing().execute();
        }
        Set<String> after = new TreeSet<>(teamNames);
        if (!before.equals(after)) {
            events.publishEvent(new AuditEvent(actor, "user.teams-assigned", "user", username,
                    before.toString(), after.toString()));
        }
    }
}

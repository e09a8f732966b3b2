package dev.assay.playbooks;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;

import dev.assay.catalog.Catalog;
import dev.assay.catalog.ServiceSummary;
import dev.assay.catalog.TeamMembership;

/**
 * Who may change a runbook or run its drills (DESIGN §6): ADMIN and SECURITY any; RESPONDER and
 * SERVICE_OWNER those of their teams, where a runbook's teams are the teams it names plus the
 * owning teams (in the catalog) of the services it names; EXECUTIVE none. Reading needs only a role,
 * which the URL rules check.
 */
@Component
class PlaybookAccess {

    private static final Set<String> ANY_RUNBOOK = Set.of("ROLE_ADMIN", "ROLE_SECURITY");
    private static final Set<String> OWN_TEAMS_ONLY = Set.of("ROLE_SERVICE_OWNER", "ROLE_RESPONDER");

    private final Catalog catalog;
    private final TeamMembership membership;

    PlaybookAccess(Catalog catalog, TeamMembership membership) {
        this.catalog = catalog;
        this.membership = membership;
    }

    boolean canChange(Authentication user, RunbookSummary runbook) {
        return canChange(user, runbook.teams(), runbook.services());
    }

    boolean canChange(Authentication user, Collection<String> teams, Collection<String> services) {
        if (user == null || !user.isAuthenticated()) {
            return false;
        }
        Set<String> authorities = new TreeSet<>(user.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList());
        if (authorities.stream().anyMatch(ANY_RUNBOOK::contains)) {
            return true;
        }
        if (authorities.stream().noneMatch(OWN_TEAMS_ONLY::contains)) {
            return false;
        }
        Set<String> mine = membership.teamsOf(user.getName());
        return owningTeams(teams, services).stream().anyMatch(mine::contains);
    }

    /** The teams a runbook names, plus the catalog's owning teams of the services it names. */
    Set<String> owningTeams(Collection<String> teams, Collection<String> services) {
        Set<String> owners = new TreeSet<>(teams);
        if (!services.isEmpty()) {
            for (ServiceSummary service : catalog.services()) {
                if (services.contains(service.name()) && service.owningTeam() != null) {
                    owners.add(service.owningTeam());
                }
            }
        }
        return owners;
    }

    void requireChange(Authentication user, RunbookSummary runbook, String what) {
        if (!canChange(user, runbook)) {
            throw forbidden(runbook, what);
        }
    }

    static ResponseStatusException forbidden(RunbookSummary runbook, String what) {
        return new ResponseStatusException(HttpStatus.FORBIDDEN, "Only the teams of runbook '" + runbook.slug()
                + "' (or SECURITY and ADMIN) may " + what + "; executives read only");
    }
}

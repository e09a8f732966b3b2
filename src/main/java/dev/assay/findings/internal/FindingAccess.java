package dev.assay.findings.internal;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.stereotype.Component;

import dev.assay.catalog.Catalog;
import dev.assay.catalog.ServiceOwnership;
import dev.assay.catalog.ServiceSummary;
import dev.assay.catalog.TeamMembership;

/**
 * Who may see and change which findings (DESIGN §6). Seeing: ADMIN, SECURITY and EXECUTIVE (and API
 * tokens with a read or admin scope) see every finding; SERVICE_OWNER and RESPONDER see the findings
 * of services their teams own. Changing: the catalog's {@link ServiceOwnership#canChange} rule —
 * ADMIN and SECURITY any service, SERVICE_OWNER and RESPONDER their teams' services, EXECUTIVE none.
 * Approving a risk acceptance and editing the SLA policy: SECURITY only.
 */
@Component
public class FindingAccess {

    static final String SECURITY = "ROLE_SECURITY";
    /** The roles that change findings (of some service); EXECUTIVE and API tokens change none. */
    private static final Set<String> CHANGING_ROLES = Set.of("ROLE_ADMIN", SECURITY, "ROLE_SERVICE_OWNER", "ROLE_RESPONDER");
    private static final Set<String> SEE_ALL = Set.of("ROLE_ADMIN", SECURITY, "ROLE_EXECUTIVE", "SCOPE_read", "SCOPE_admin");

    private final Catalog catalog;
    private final ServiceOwnership ownership;
    private final TeamMembership membership;

    FindingAccess(Catalog catalog, ServiceOwnership ownership, TeamMembership membership) {
        this.catalog = catalog;
        this.ownership = ownership;
        this.membership = membership;
    }

    /** The user's rights for one request: reads the catalog once, however many findings it checks. */
    public UserAccess of(Authentication user) {
        return new UserAccess(user);
    }

    public void requireSecurity(Authentication user, String message) {
        if (!authorities(user).contains(SECURITY)) {
            throw new FindingForbiddenException(message);
        }
    }

    static Set<String> authorities(Authentication user) {
        if (user == null) {
            return Set.of();
        }
        return Set.copyOf(user.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList());
    }

    /** A service the catalog does not know: nobody owns it, so only ADMIN and SECURITY may change its findings. */
    static ServiceSummary unknownService(String name) {
        return new ServiceSummary(name, null, null, null, null, null, null, null, null, null, null, false, List.of(),
                List.of(), null);
    }

    /**
     * One user's rights for one request. The catalog is read only for what the request needs: the
     * names of the services the user's teams own, and the services it checks or shows, each read once;
     * the whole catalog only where a page lists every service ({@link #services()}).
     */
    public final class UserAccess {

        private final Authentication user;
        private final Set<String> authorities;
        private Map<String, ServiceSummary> services;
        /** Services read so far by name; a name mapped to null is not in the catalog. */
        private final Map<String, ServiceSummary> looked = new HashMap<>();
        private Set<String> teams;
        private Set<String> owned;

        UserAccess(Authentication user) {
            this.user = user;
            this.authorities = authorities(user);
        }

        public String name() {
            return user.getName();
        }

        public Authentication authentication() {
            return user;
        }

        public boolean isSecurity() {
            return authorities.contains(SECURITY);
        }

        /** Whether the user may change the findings of at least some service (pages hide change forms otherwise). */
        public boolean mayChangeAny() {
            return authorities.stream().anyMatch(CHANGING_ROLES::contains);
        }

        public boolean seesAll() {
            return authorities.stream().anyMatch(SEE_ALL::contains);
        }

        /** The teams the user belongs to. */
        public Set<String> teams() {
            if (teams == null) {
                teams = new TreeSet<>(membership.teamsOf(user.getName()));
            }
            return teams;
        }

        /** The services the user's teams own, by name. */
        public Set<String> ownedServices() {
            if (owned == null) {
                owned = Collections.unmodifiableSet(new TreeSet<>(catalog.serviceNamesOwnedBy(teams())));
            }
            return owned;
        }

        /** The services a team owns, by name (a list's team filter). */
        public Set<String> servicesOf(String team) {
            return catalog.serviceNamesOwnedBy(Set.of(team));
        }

        /** Reads the named services not read yet in one go (before a page's rows ask for them one by one). */
        public void lookUp(Collection<String> serviceNames) {
            if (services != null) {
                return;
            }
            Set<String> missing = new TreeSet<>(serviceNames);
            missing.removeAll(looked.keySet());
            if (missing.isEmpty()) {
                return;
            }
            catalog.servicesNamed(missing).forEach(service -> looked.put(service.name(), service));
            missing.forEach(name -> looked.putIfAbsent(name, null));
        }

        /** The services whose findings the user may see; null means every service. */
        public Set<String> visibleServices() {
            return seesAll() ? null : ownedServices();
        }

        public boolean canSee(String serviceName) {
            return seesAll() || ownedServices().contains(serviceName);
        }

        public boolean canChange(String serviceName) {
            return ownership.canChange(user, service(serviceName));
        }

        /** The owning team of a service, or null. */
        public String owningTeam(String serviceName) {
            ServiceSummary service = known(serviceName);
            return service == null ? null : service.owningTeam();
        }

        public ServiceSummary service(String serviceName) {
            ServiceSummary service = known(serviceName);
            return service == null ? unknownService(serviceName) : service;
        }

        /** The catalog's service of that name, or null; read once per request. */
        private ServiceSummary known(String serviceName) {
            if (services != null) {
                return services.get(serviceName);
            }
            lookUp(Set.of(serviceName));
            return looked.get(serviceName);
        }

        /** Every catalog service by name (the whole catalog: for pages that list every service). */
        public Map<String, ServiceSummary> services() {
            if (services == null) {
                services = new HashMap<>();
                catalog.services().forEach(s -> services.put(s.name(), s));
            }
            return services;
        }

        public boolean isMemberOf(String username, String team) {
            return team != null && membership.isMember(username, team);
        }
    }
}

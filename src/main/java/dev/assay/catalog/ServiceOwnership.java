package dev.assay.catalog;

import static dev.assay.catalog.internal.db.Tables.SERVICE;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Set;

import org.jooq.DSLContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.assay.common.AuditEvent;

/**
 * Object-level authorisation for services: who may change a service. ADMIN and SECURITY may
 * change any; SERVICE_OWNER and RESPONDER only the services of a team they belong to; EXECUTIVE
 * none. Other features ask this before changing anything that belongs to a service.
 */
@Service
public class ServiceOwnership {

    private static final Set<String> ANY_SERVICE = Set.of("ROLE_ADMIN", "ROLE_SECURITY");
    private static final Set<String> OWN_TEAM_ONLY = Set.of("ROLE_SERVICE_OWNER", "ROLE_RESPONDER");

    private final TeamMembership membership;
    private final DSLContext db;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    ServiceOwnership(TeamMembership membership, DSLContext db, Clock clock, ApplicationEventPublisher events) {
        this.membership = membership;
        this.db = db;
        this.clock = clock;
        this.events = events;
    }

    public boolean canChange(Authentication user, ServiceSummary service) {
        if (user == null) {
            return false;
        }
        Set<String> roles = roles(user);
        if (roles.stream().anyMatch(ANY_SERVICE::contains)) {
            return true;
        }
        return roles.stream().anyMatch(OWN_TEAM_ONLY::contains) && service.owningTeam() != null
                && membership.isMember(user.getName(), service.owningTeam());
    }

    public Set<String> teamsOf(String username) {
        return membership.teamsOf(username);
    }

    @Transactional
    void setManualEscalation(String serviceName, String contact, String actor) {
        String before = db.select(SERVICE.MANUAL_ESCALATION).from(SERVICE).where(SERVICE.NAME.eq(serviceName))
                .fetchOne(SERVICE.MANUAL_ESCALATION);
        db.update(SERVICE).set(SERVICE.MANUAL_ESCALATION, contact).set(SERVICE.UPDATED_AT, OffsetDateTime.now(clock))
                .where(SERVICE.NAME.eq(serviceName)).execute();
        events.publishEvent(new AuditEvent(actor, "service.escalation-set", "service", serviceName, before, contact));
    }

    private static Set<String> roles(Authentication user) {
        return Set.copyOf(user.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList());
    }
}

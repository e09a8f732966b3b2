package dev.assay.catalog.internal;

import static dev.assay.catalog.internal.db.Tables.CATALOG_PERSON;
import static dev.assay.catalog.internal.db.Tables.CATALOG_SYSTEM;
import static dev.assay.catalog.internal.db.Tables.CODEOWNERS_RULE;
import static dev.assay.catalog.internal.db.Tables.REPOSITORY_DEFAULT_OWNER;
import static dev.assay.catalog.internal.db.Tables.SERVICE;
import static dev.assay.catalog.internal.db.Tables.SERVICE_LINK;
import static dev.assay.catalog.internal.db.Tables.TEAM;
import static dev.assay.catalog.internal.db.Tables.TEAM_MEMBER;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import org.jooq.DSLContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

import dev.assay.catalog.TeamMembership;
import dev.assay.catalog.internal.CatalogEntity.ComponentEntity;
import dev.assay.catalog.internal.CatalogEntity.GroupEntity;
import dev.assay.catalog.internal.CatalogEntity.SystemEntity;
import dev.assay.catalog.internal.CatalogEntity.UserEntity;
import dev.assay.common.AuditEvent;

/**
 * Writes imported catalog facts. Every write compares with what is stored first and changes
 * nothing when nothing changed, so a re-import leaves rows, timestamps and the audit log untouched.
 */
@Component
public class CatalogStore {

    private final DSLContext db;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    CatalogStore(DSLContext db, Clock clock, ApplicationEventPublisher events) {
        this.db = db;
        this.clock = clock;
        this.events = events;
    }

    public void storeEntities(String sourceId, List<CatalogEntity> entities) {
        for (CatalogEntity entity : entities) {
            if (entity instanceof ComponentEntity component) {
                storeComponent(sourceId, component);
            } else if (entity instanceof GroupEntity group) {
                storeGroup(sourceId, group);
            } else if (entity instanceof UserEntity user) {
                storeUser(sourceId, user);
            } else if (entity instanceof SystemEntity system) {
                storeSystem(sourceId, system);
            }
            // OtherEntity (API, Resource, ...): valid, but nothing Assay shows; accepted and not stored.
        }
    }

    private void storeComponent(String sourceId, ComponentEntity c) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        var existing = db.selectFrom(SERVICE).where(SERVICE.NAME.eq(c.name())).fetchOne();
        String actor = actor(sourceId);
        Long id;
        if (existing == null) {
            id = db.insertInto(SERVICE)
                    .set(SERVICE.NAME, c.name()).set(SERVICE.TITLE, c.title()).set(SERVICE.DESCRIPTION, c.description())
                    .set(SERVICE.COMPONENT_TYPE, c.type()).set(SERVICE.TIER, c.tier()).set(SERVICE.LIFECYCLE, c.lifecycle())
                    .set(SERVICE.OWNER_NAME, c.owner()).set(SERVICE.SYSTEM_NAME, c.system())
                    .set(SERVICE.ESCALATION_CONTACT, c.escalationContact()).set(SERVICE.SOURCE_ID, sourceId)
                    .set(SERVICE.CREATED_AT, now).set(SERVICE.UPDATED_AT, now)
                    .returning(SERVICE.ID).fetchOne(SERVICE.ID);
            events.publishEvent(new AuditEvent(actor, "service.imported", "service", c.name(), null, describe(c)));
        } else {
            id = existing.getId();
            String before = describe(existing.getTitle(), existing.getDescription(), existing.getComponentType(),
                    existing.getTier(), existing.getLifecycle(), existing.getOwnerName(), existing.getSystemName(),
                    existing.getEscalationContact(), existing.getSourceId());
            String after = describe(c.title(), c.description(), c.type(), c.tier(), c.lifecycle(), c.owner(), c.system(),
                    c.escalationContact(), sourceId);
            if (!before.equals(after)) {
                db.update(SERVICE)
                        .set(SERVICE.TITLE, c.title()).set(SERVICE.DESCRIPTION, c.description())
                        .set(SERVICE.COMPONENT_TYPE, c.type()).set(SERVICE.TIER, c.tier()).set(SERVICE.LIFECYCLE, c.lifecycle())
                        .set(SERVICE.OWNER_NAME, c.owner()).set(SERVICE.SYSTEM_NAME, c.system())
                        .set(SERVICE.ESCALATION_CONTACT, c.escalationContact()).set(SERVICE.SOURCE_ID, sourceId)
                        .set(SERVICE.UPDATED_AT, now)
                        .where(SERVICE.ID.eq(id)).execute();
                events.publishEvent(new AuditEvent(actor, "service.reimported", "service", c.name(), before, after));
            }
        }
        replaceLinks(id, c.name(), c.links(), actor);
    }

    private void replaceLinks(Long serviceId, String serviceName, Map<String, List<String>> links, String actor) {
        Set<String> wanted = new TreeSet<>();
        links.forEach((kind, values) -> values.forEach(v -> wanted.add(kind + "=" + v)));
        Set<String> stored = new TreeSet<>(db.select(SERVICE_LINK.KIND, SERVICE_LINK.LINK_VALUE).from(SERVICE_LINK)
                .where(SERVICE_LINK.SERVICE_ID.eq(serviceId))
                .fetch(r -> r.value1() + "=" + r.value2()));
        if (wanted.equals(stored)) {
            return;
        }
        db.deleteFrom(SERVICE_LINK).where(SERVICE_LINK.SERVICE_ID.eq(serviceId)).execute();
        links.forEach((kind, values) -> values.stream().distinct().forEach(value -> db.insertInto(SERVICE_LINK)
                .set(SERVICE_LINK.SERVICE_ID, serviceId).set(SERVICE_LINK.KIND, kind).set(SERVICE_LINK.LINK_VALUE, value)
                .execute()));
        events.publishEvent(new AuditEvent(actor, "service.links-changed", "service", serviceName,
                stored.toString(), wanted.toString()));
    }

    private void storeGroup(String sourceId, GroupEntity g) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        var existing = db.selectFrom(TEAM).where(TEAM.NAME.eq(g.name())).fetchOne();
        String after = describe(g.title(), g.description(), g.parent(), g.email(), sourceId);
        if (existing == null) {
            db.insertInto(TEAM).set(TEAM.NAME, g.name()).set(TEAM.TITLE, g.title()).set(TEAM.DESCRIPTION, g.description())
                    .set(TEAM.PARENT_NAME, g.parent()).set(TEAM.EMAIL, g.email()).set(TEAM.SOURCE_ID, sourceId)
                    .set(TEAM.CREATED_AT, now).set(TEAM.UPDATED_AT, now).execute();
            events.publishEvent(new AuditEvent(actor(sourceId), "team.imported", "team", g.name(), null, after));
        } else {
            String before = describe(existing.getTitle(), existing.getDescription(), existing.getParentName(),
                    existing.getEmail(), existing.getSourceId());
            if (!before.equals(after)) {
                db.update(TEAM).set(TEAM.TITLE, g.title()).set(TEAM.DESCRIPTION, g.description())
                        .set(TEAM.PARENT_NAME, g.parent()).set(TEAM.EMAIL, g.email()).set(TEAM.SOURCE_ID, sourceId)
                        .set(TEAM.UPDATED_AT, now).where(TEAM.ID.eq(existing.getId())).execute();
                events.publishEvent(new AuditEvent(actor(sourceId), "team.reimported", "team", g.name(), before, after));
            }
        }
        for (String member : g.members()) {
            addCatalogMember(g.name(), member);
        }
    }

    private void storeUser(String sourceId, UserEntity u) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        var existing = db.selectFrom(CATALOG_PERSON).where(CATALOG_PERSON.NAME.eq(u.name())).fetchOne();
        if (existing == null) {
            db.insertInto(CATALOG_PERSON).set(CATALOG_PERSON.NAME, u.name()).set(CATALOG_PERSON.DISPLAY_NAME, u.displayName())
                    .set(CATALOG_PERSON.EMAIL, u.email()).set(CATALOG_PERSON.SOURCE_ID, sourceId)
                    .set(CATALOG_PERSON.UPDATED_AT, now).execute();
        } else if (!Objects.equals(existing.getDisplayName(), u.displayName()) || !Objects.equals(existing.getEmail(), u.email())) {
            db.update(CATALOG_PERSON).set(CATALOG_PERSON.DISPLAY_NAME, u.displayName()).set(CATALOG_PERSON.EMAIL, u.email())
                    .set(CATALOG_PERSON.UPDATED_AT, now).where(CATALOG_PERSON.ID.eq(existing.getId())).execute();
        }
        for (String team : u.memberOf()) {
            addCatalogMember(team, u.name());
        }
    }

    /**
     * A membership may be stated twice in one import (the Group's {@code members} and the User's
     * {@code memberOf}): the insert ignores the second. (A read-then-insert was seen failing on H2,
     * whose EXISTS answered from before an insert earlier in the same transaction.)
     */
    private void addCatalogMember(String team, String username) {
        db.insertInto(TEAM_MEMBER).set(TEAM_MEMBER.TEAM_NAME, team).set(TEAM_MEMBER.USERNAME, username)
                .set(TEAM_MEMBER.ORIGIN, TeamMembership.ORIGIN_CATALOG).onConflictDoNothing().execute();
    }

    private void storeSystem(String sourceId, SystemEntity s) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        var existing = db.selectFrom(CATALOG_SYSTEM).where(CATALOG_SYSTEM.NAME.eq(s.name())).fetchOne();
        if (existing == null) {
            db.insertInto(CATALOG_SYSTEM).set(CATALOG_SYSTEM.NAME, s.name()).set(CATALOG_SYSTEM.TITLE, s.title())
                    .set(CATALOG_SYSTEM.DESCRIPTION, s.description()).set(CATALOG_SYSTEM.OWNER_NAME, s.owner())
                    .set(CATALOG_SYSTEM.SOURCE_ID, sourceId).set(CATALOG_SYSTEM.UPDATED_AT, now).execute();
        } else if (!describe(existing.getTitle(), existing.getDescription(), existing.getOwnerName())
                .equals(describe(s.title(), s.description(), s.owner()))) {
            db.update(CATALOG_SYSTEM).set(CATALOG_SYSTEM.TITLE, s.title()).set(CATALOG_SYSTEM.DESCRIPTION, s.description())
                    .set(CATALOG_SYSTEM.OWNER_NAME, s.owner()).set(CATALOG_SYSTEM.UPDATED_AT, now)
                    .where(CATALOG_SYSTEM.ID.eq(existing.getId())).execute();
        }
    }

    /** Replaces a repository's CODEOWNERS rules when they differ from the stored ones. */
    public void storeCodeowners(String sourceId, CodeownersFile file) {
        List<String> wanted = file.rules().stream().map(r -> r.pattern() + " " + String.join(" ", r.owners())).toList();
        List<String> stored = db.select(CODEOWNERS_RULE.PATTERN, CODEOWNERS_RULE.OWNERS).from(CODEOWNERS_RULE)
                .where(CODEOWNERS_RULE.REPOSITORY.eq(file.repository())).orderBy(CODEOWNERS_RULE.POSITION)
                .fetch(r -> r.value1() + " " + r.value2());
        if (!wanted.equals(stored)) {
            db.deleteFrom(CODEOWNERS_RULE).where(CODEOWNERS_RULE.REPOSITORY.eq(file.repository())).execute();
            int position = 0;
            for (CodeownersFile.Rule rule : file.rules()) {
                db.insertInto(CODEOWNERS_RULE).set(CODEOWNERS_RULE.REPOSITORY, file.repository())
                        .set(CODEOWNERS_RULE.POSITION, position++).set(CODEOWNERS_RULE.PATTERN, rule.pattern())
                        .set(CODEOWNERS_RULE.OWNERS, String.join(" ", rule.owners()))
                        .set(CODEOWNERS_RULE.SOURCE_ID, sourceId).execute();
            }
            events.publishEvent(new AuditEvent(actor(sourceId), "codeowners.imported", "repository", file.repository(),
                    stored.isEmpty() ? null : String.valueOf(stored.size()) + " rules", wanted.size() + " rules"));
        }
        String owners = file.defaultOwners().isEmpty() ? null : String.join(" ", file.defaultOwners());
        var existing = db.selectFrom(REPOSITORY_DEFAULT_OWNER).where(REPOSITORY_DEFAULT_OWNER.REPOSITORY.eq(file.repository())).fetchOne();
        if (owners == null) {
            if (existing != null) {
                existing.delete();
            }
            return;
        }
        if (existing == null) {
            db.insertInto(REPOSITORY_DEFAULT_OWNER).set(REPOSITORY_DEFAULT_OWNER.REPOSITORY, file.repository())
                    .set(REPOSITORY_DEFAULT_OWNER.OWNERS, owners).set(REPOSITORY_DEFAULT_OWNER.TEAM_NAME, file.defaultTeam())
                    .set(REPOSITORY_DEFAULT_OWNER.SOURCE_ID, sourceId).execute();
        } else if (!owners.equals(existing.getOwners()) || !Objects.equals(file.defaultTeam(), existing.getTeamName())) {
            existing.setOwners(owners);
            existing.setTeamName(file.defaultTeam());
            existing.update();
        }
    }

    private static String actor(String sourceId) {
        return "system:import:" + sourceId;
    }

    private static String describe(ComponentEntity c) {
        return describe(c.title(), c.description(), c.type(), c.tier(), c.lifecycle(), c.owner(), c.system(),
                c.escalationContact());
    }

    /** A stable, compact rendering for change detection and the audit log. */
    private static String describe(Object... values) {
        List<String> parts = new ArrayList<>();
        for (Object value : values) {
            parts.add(value == null ? "" : value.toString());
        }
        return String.join(" | ", parts);
    }
}

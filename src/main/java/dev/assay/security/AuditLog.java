package dev.assay.security;

import static dev.assay.security.internal.db.Tables.AUDIT_LOG;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

import dev.assay.common.AuditEvent;
import dev.assay.common.PageRequest;
import dev.assay.common.PageResult;
import dev.assay.security.internal.db.tables.records.AuditLogRecord;

/**
 * The append-only audit log: who changed what, before and after, when. There is deliberately no
 * method that updates or deletes a line (and on PostgreSQL a trigger refuses both, V5).
 * <p>
 * Features either call {@link #record(AuditEvent)} or publish an {@link AuditEvent}; both store
 * the line through the caller's connection, so it commits or rolls back with the change it describes.
 */
@Service
public class AuditLog {

    // Column sizes of audit_log: values from outside (a username typed at the login form) are cut to fit
    // rather than failing the change they describe.
    private static final int ACTOR_MAX = 200;
    private static final int ACTION_MAX = 100;
    private static final int ENTITY_TYPE_MAX = 100;
    private static final int ENTITY_ID_MAX = 300;

    private final DSLContext db;
    private final Clock clock;

    AuditLog(DSLContext db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Stores one line, stamped with the application clock. */
    public void record(AuditEvent event) {
        db.insertInto(AUDIT_LOG)
                .set(AUDIT_LOG.OCCURRED_AT, OffsetDateTime.now(clock))
                .set(AUDIT_LOG.ACTOR, cut(required(event.actor(), "actor"), ACTOR_MAX))
                .set(AUDIT_LOG.ACTION, cut(required(event.action(), "action"), ACTION_MAX))
                .set(AUDIT_LOG.ENTITY_TYPE, cut(required(event.entityType(), "entityType"), ENTITY_TYPE_MAX))
                .set(AUDIT_LOG.ENTITY_ID, cut(event.entityId(), ENTITY_ID_MAX))
                .set(AUDIT_LOG.BEFORE_STATE, event.before())
                .set(AUDIT_LOG.AFTER_STATE, event.after())
                .execute();
    }

    /**
     * Other features publish their audit events from inside their transaction; a plain synchronous
     * listener (not a transactional event listener) runs in that same transaction, so the line and
     * the change commit together or not at all.
     */
    @EventListener
    void on(AuditEvent event) {
        record(event);
    }

    /**
     * Lines newest first, optionally only those of one actor and/or one entity type (exact match;
     * null or blank means no filter).
     */
    public PageResult<AuditEntry> list(String actor, String entityType, PageRequest page) {
        List<Condition> conditions = new ArrayList<>();
        if (actor != null && !actor.isBlank()) {
            conditions.add(AUDIT_LOG.ACTOR.eq(actor.trim()));
        }
        if (entityType != null && !entityType.isBlank()) {
            conditions.add(AUDIT_LOG.ENTITY_TYPE.eq(entityType.trim()));
        }
        Condition where = DSL.and(conditions);
        long total = db.fetchCount(AUDIT_LOG, where);
        List<AuditEntry> items = db.selectFrom(AUDIT_LOG).where(where)
                .orderBy(AUDIT_LOG.OCCURRED_AT.desc(), AUDIT_LOG.ID.desc())
                .limit(page.size()).offset(page.offset())
                .fetch(AuditLog::toEntry);
        return new PageResult<>(items, total, page.page(), page.size());
    }

    /** The entity types that occur in the log, for the filter of the admin page. */
    public List<String> entityTypes() {
        return db.selectDistinct(AUDIT_LOG.ENTITY_TYPE).from(AUDIT_LOG).orderBy(AUDIT_LOG.ENTITY_TYPE)
                .fetch(AUDIT_LOG.ENTITY_TYPE);
    }

    private static AuditEntry toEntry(AuditLogRecord r) {
        return new AuditEntry(r.getId(), r.getOccurredAt().toInstant(), r.getActor(), r.getAction(), r.getEntityType(),
                r.getEntityId(), r.getBeforeState(), r.getAfterState());
    }

    private static String required(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("An audit event needs " + name);
        }
        return value;
    }

    private static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}

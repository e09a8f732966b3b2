package dev.assay.incidents.internal;

import static dev.assay.incidents.internal.db.Tables.INCIDENT;
import static dev.assay.incidents.internal.db.Tables.INCIDENT_EVENT;
import static dev.assay.incidents.internal.db.Tables.INCIDENT_SERVICE;
import static dev.assay.incidents.internal.db.Tables.REVIEW;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads incidents for the figures, pages and API. Filters: a time range on {@code occurred_at}
 * (the incident's first known timestamp), a set of service names (null: all; empty: none), a
 * severity (case-insensitive), a source id, and drills or production incidents.
 */
@Component
@Transactional(readOnly = true)
public class IncidentQueries {

    private final DSLContext db;

    IncidentQueries(DSLContext db) {
        this.db = db;
    }

    /** The timestamps of one incident, for the figures; {@code reviewStarted} is the review's impact start. */
    public record TimelineRow(long id, String reference, String title, Instant started, Instant reviewStarted,
            Instant detected, Instant acknowledged, Instant mitigated, Instant resolved) {
    }

    /** One incident as lists show it. */
    public record IncidentRow(long id, String sourceId, String sourceType, String externalId, String reference, String title,
            String severity, String status, boolean drill, Instant started, Instant reviewStarted, Instant detected,
            Instant acknowledged, Instant mitigated, Instant resolved, Instant occurred, String url, String upstreamServices,
            Long runbookId, String reviewStatus, List<String> services) {
    }

    public record EventRow(Instant at, String kind, String actor, String summary) {
    }

    /** The filters every read shares. {@code drills}: null = both, true = only drills, false = production only. */
    public record Filter(Instant from, Instant to, Collection<String> services, String severity, String source,
            Boolean drills) {
    }

    public List<TimelineRow> timelines(Filter filter) {
        Condition where = where(filter);
        if (where == null) {
            return List.of();
        }
        return db.select(INCIDENT.ID, INCIDENT.DISPLAY_REF, INCIDENT.TITLE, INCIDENT.STARTED_AT, REVIEW.IMPACT_STARTED_AT,
                        INCIDENT.DETECTED_AT, INCIDENT.ACKNOWLEDGED_AT, INCIDENT.MITIGATED_AT, INCIDENT.RESOLVED_AT)
                .from(INCIDENT).leftJoin(REVIEW).on(REVIEW.INCIDENT_ID.eq(INCIDENT.ID))
                .where(where)
                .orderBy(INCIDENT.OCCURRED_AT, INCIDENT.ID)
                .fetch(r -> new TimelineRow(r.value1(), r.value2(), r.value3(), instant(r.value4()), instant(r.value5()),
                        instant(r.value6()), instant(r.value7()), instant(r.value8()), instant(r.value9())));
    }

    public long count(Filter filter) {
        Condition where = where(filter);
        return where == null ? 0 : db.fetchCount(INCIDENT, where);
    }

    /** A page of incidents, newest first. */
    public List<IncidentRow> list(Filter filter, int offset, int limit) {
        Condition where = where(filter);
        if (where == null) {
            return List.of();
        }
        List<Record> records = new ArrayList<>(db.select(INCIDENT.asterisk(), REVIEW.IMPACT_STARTED_AT, REVIEW.STATUS)
                .from(INCIDENT).leftJoin(REVIEW).on(REVIEW.INCIDENT_ID.eq(INCIDENT.ID))
                .where(where)
                .orderBy(INCIDENT.OCCURRED_AT.desc(), INCIDENT.ID.desc())
                .limit(limit).offset(offset)
                .fetch());
        Map<Long, List<String>> services = servicesOf(records.stream().map(r -> r.get(INCIDENT.ID)).toList());
        return records.stream().map(r -> row(r, services.getOrDefault(r.get(INCIDENT.ID), List.of()))).toList();
    }

    public Optional<IncidentRow> find(long id) {
        Record record = db.select(INCIDENT.asterisk(), REVIEW.IMPACT_STARTED_AT, REVIEW.STATUS)
                .from(INCIDENT).leftJoin(REVIEW).on(REVIEW.INCIDENT_ID.eq(INCIDENT.ID))
                .where(INCIDENT.ID.eq(id)).fetchOne();
        if (record == null) {
            return Optional.empty();
        }
        return Optional.of(row(record, servicesOf(List.of(id)).getOrDefault(id, List.of())));
    }

    public List<EventRow> events(long incidentId) {
        return db.selectFrom(INCIDENT_EVENT).where(INCIDENT_EVENT.INCIDENT_ID.eq(incidentId))
                .orderBy(INCIDENT_EVENT.OCCURRED_AT, INCIDENT_EVENT.POSITION)
                .fetch(e -> new EventRow(e.getOccurredAt().toInstant(), e.getKind(), e.getActor(), e.getSummary()));
    }

    /** Distinct values for the list filters. */
    public List<String> severities() {
        return db.selectDistinct(INCIDENT.SEVERITY).from(INCIDENT).where(INCIDENT.SEVERITY.isNotNull())
                .orderBy(INCIDENT.SEVERITY).fetch(INCIDENT.SEVERITY);
    }

    public List<String> sources() {
        return db.selectDistinct(INCIDENT.SOURCE_ID).from(INCIDENT).orderBy(INCIDENT.SOURCE_ID).fetch(INCIDENT.SOURCE_ID);
    }

    /** The stored incident of a source with an upstream id, if any (pushes merge with what earlier pushes said). */
    public Optional<IncidentRow> findByExternal(String sourceId, String externalId) {
        Long id = db.select(INCIDENT.ID).from(INCIDENT)
                .where(INCIDENT.SOURCE_ID.eq(sourceId).and(INCIDENT.EXTERNAL_ID.eq(externalId))).fetchOne(INCIDENT.ID);
        return id == null ? Optional.empty() : find(id);
    }

    public boolean exists(long id) {
        return db.fetchExists(INCIDENT, INCIDENT.ID.eq(id));
    }

    private Map<Long, List<String>> servicesOf(List<Long> ids) {
        Map<Long, List<String>> services = new HashMap<>();
        if (ids.isEmpty()) {
            return services;
        }
        db.select(INCIDENT_SERVICE.INCIDENT_ID, INCIDENT_SERVICE.SERVICE_NAME).from(INCIDENT_SERVICE)
                .where(INCIDENT_SERVICE.INCIDENT_ID.in(ids))
                .orderBy(INCIDENT_SERVICE.INCIDENT_ID, INCIDENT_SERVICE.SERVICE_NAME)
                .forEach(r -> services.computeIfAbsent(r.value1(), k -> new ArrayList<>()).add(r.value2()));
        return services;
    }

    /** The condition of a filter, or null when it can match nothing (an empty set of services). */
    private static Condition where(Filter filter) {
        Condition where = DSL.trueCondition();
        if (filter.from() != null) {
            where = where.and(INCIDENT.OCCURRED_AT.ge(filter.from().atOffset(java.time.ZoneOffset.UTC)));
        }
        if (filter.to() != null) {
            where = where.and(INCIDENT.OCCURRED_AT.lt(filter.to().atOffset(java.time.ZoneOffset.UTC)));
        }
        if (filter.services() != null) {
            if (filter.services().isEmpty()) {
                return null;
            }
            where = where.and(DSL.exists(DSL.selectOne().from(INCIDENT_SERVICE)
                    .where(INCIDENT_SERVICE.INCIDENT_ID.eq(INCIDENT.ID).and(INCIDENT_SERVICE.SERVICE_NAME.in(filter.services())))));
        }
        if (filter.severity() != null && !filter.severity().isBlank()) {
            where = where.and(DSL.lower(INCIDENT.SEVERITY).eq(filter.severity().strip().toLowerCase(java.util.Locale.ROOT)));
        }
        if (filter.source() != null && !filter.source().isBlank()) {
            where = where.and(INCIDENT.SOURCE_ID.eq(filter.source()));
        }
        if (filter.drills() != null) {
            where = where.and(INCIDENT.IS_DRILL.eq(filter.drills()));
        }
        return where;
    }

    private static IncidentRow row(Record r, List<String> services) {
        return new IncidentRow(r.get(INCIDENT.ID), r.get(INCIDENT.SOURCE_ID), r.get(INCIDENT.SOURCE_TYPE),
                r.get(INCIDENT.EXTERNAL_ID), r.get(INCIDENT.DISPLAY_REF), r.get(INCIDENT.TITLE), r.get(INCIDENT.SEVERITY),
                r.get(INCIDENT.STATUS), r.get(INCIDENT.IS_DRILL), instant(r.get(INCIDENT.STARTED_AT)),
                instant(r.get(REVIEW.IMPACT_STARTED_AT)), instant(r.get(INCIDENT.DETECTED_AT)),
                instant(r.get(INCIDENT.ACKNOWLEDGED_AT)), instant(r.get(INCIDENT.MITIGATED_AT)),
                instant(r.get(INCIDENT.RESOLVED_AT)), instant(r.get(INCIDENT.OCCURRED_AT)), r.get(INCIDENT.URL),
                r.get(INCIDENT.UPSTREAM_SERVICES), r.get(INCIDENT.RUNBOOK_ID), r.get(REVIEW.STATUS), List.copyOf(services));
    }

    static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}

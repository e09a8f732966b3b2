package dev.assay.incidents.internal;

import static dev.assay.incidents.internal.db.Tables.INCIDENT;
import static dev.assay.incidents.internal.db.Tables.INCIDENT_EVENT;
import static dev.assay.incidents.internal.db.Tables.INCIDENT_SERVICE;
import static dev.assay.incidents.internal.db.Tables.INCIDENT_UPSTREAM_REF;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.jooq.DSLContext;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.assay.incidents.internal.MappedIncident.MappedEvent;
import dev.assay.incidents.internal.MappedIncident.UpstreamRef;
import dev.assay.incidents.internal.db.tables.records.IncidentEventRecord;

/**
 * Writes collected and pushed incidents. Keyed by (source, external id); an incident whose mapped
 * content and resolved services equal what is stored is not written at all (no {@code updated_at}
 * change), so re-collection, a restart or a duplicate webhook changes nothing. Reviews and the
 * runbook link are written by people and never touched here.
 */
@Component
public class IncidentStore {

    /** What an upsert did. */
    public enum Outcome { CREATED, UPDATED, UNCHANGED }

    public record Stored(long id, Outcome outcome) {
    }

    private final DSLContext db;
    private final Clock clock;

    IncidentStore(DSLContext db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Transactional
    public Stored upsert(MappedIncident incident, List<String> services) {
        Instant occurred = incident.occurredAt();
        if (occurred == null) {
            // Mappers reject such incidents first; this guards the NOT NULL column with a clear message.
            throw new IllegalArgumentException("incident " + incident.externalId() + " has no timestamp at all");
        }
        String hash = contentHash(incident);
        OffsetDateTime now = OffsetDateTime.now(clock);
        var existing = db.select(INCIDENT.ID, INCIDENT.CONTENT_SHA256).from(INCIDENT)
                .where(INCIDENT.SOURCE_ID.eq(incident.sourceId()).and(INCIDENT.EXTERNAL_ID.eq(incident.externalId())))
                .fetchOne();
        if (existing == null) {
            long id = db.insertInto(INCIDENT)
                    .set(INCIDENT.SOURCE_ID, incident.sourceId())
                    .set(INCIDENT.SOURCE_TYPE, incident.sourceType())
                    .set(INCIDENT.EXTERNAL_ID, incident.externalId())
                    .set(INCIDENT.DISPLAY_REF, incident.displayRef())
                    .set(INCIDENT.TITLE, incident.title())
                    .set(INCIDENT.SEVERITY, incident.severity())
                    .set(INCIDENT.STATUS, incident.status())
                    .set(INCIDENT.IS_DRILL, incident.drill())
                    .set(INCIDENT.STARTED_AT, utc(incident.startedAt()))
                    .set(INCIDENT.DETECTED_AT, utc(incident.detectedAt()))
                    .set(INCIDENT.ACKNOWLEDGED_AT, utc(incident.acknowledgedAt()))
                    .set(INCIDENT.MITIGATED_AT, utc(incident.mitigatedAt()))
                    .set(INCIDENT.RESOLVED_AT, utc(incident.resolvedAt()))
                    .set(INCIDENT.OCCURRED_AT, utc(occurred))
                    .set(INCIDENT.UPSTREAM_UPDATED_AT, utc(incident.upstreamUpdatedAt()))
                    .set(INCIDENT.URL, incident.url())
                    .set(INCIDENT.UPSTREAM_SERVICES, incident.upstreamServices())
                    .set(INCIDENT.CONTENT_SHA256, hash)
                    .set(INCIDENT.FIRST_COLLECTED_AT, now)
                    .set(INCIDENT.UPDATED_AT, now)
                    .returning(INCIDENT.ID).fetchOne(INCIDENT.ID);
            writeChildren(id, incident);
            writeServices(id, services);
            return new Stored(id, Outcome.CREATED);
        }
        long id = existing.value1();
        boolean contentChanged = !hash.equals(existing.value2().trim());
        if (contentChanged) {
            db.update(INCIDENT)
                    .set(INCIDENT.SOURCE_TYPE, incident.sourceType())
                    .set(INCIDENT.DISPLAY_REF, incident.displayRef())
                    .set(INCIDENT.TITLE, incident.title())
                    .set(INCIDENT.SEVERITY, incident.severity())
                    .set(INCIDENT.STATUS, incident.status())
                    .set(INCIDENT.IS_DRILL, incident.drill())
                    .set(INCIDENT.STARTED_AT, utc(incident.startedAt()))
                    .set(INCIDENT.DETECTED_AT, utc(incident.detectedAt()))
                    .set(INCIDENT.ACKNOWLEDGED_AT, utc(incident.acknowledgedAt()))
                    .set(INCIDENT.MITIGATED_AT, utc(incident.mitigatedAt()))
                    .set(INCIDENT.RESOLVED_AT, utc(incident.resolvedAt()))
                    .set(INCIDENT.OCCURRED_AT, utc(occurred))
                    .set(INCIDENT.UPSTREAM_UPDATED_AT, utc(incident.upstreamUpdatedAt()))
                    .set(INCIDENT.URL, incident.url())
                    .set(INCIDENT.UPSTREAM_SERVICES, incident.upstreamServices())
                    .set(INCIDENT.CONTENT_SHA256, hash)
                    .set(INCIDENT.UPDATED_AT, now)
                    .where(INCIDENT.ID.eq(id)).execute();
            db.deleteFrom(INCIDENT_EVENT).where(INCIDENT_EVENT.INCIDENT_ID.eq(id)).execute();
            db.deleteFrom(INCIDENT_UPSTREAM_REF).where(INCIDENT_UPSTREAM_REF.INCIDENT_ID.eq(id)).execute();
            writeChildren(id, incident);
        }
        boolean servicesChanged = replaceServicesIfChanged(id, services);
        if (servicesChanged && !contentChanged) {
            db.update(INCIDENT).set(INCIDENT.UPDATED_AT, now).where(INCIDENT.ID.eq(id)).execute();
        }
        return new Stored(id, contentChanged || servicesChanged ? Outcome.UPDATED : Outcome.UNCHANGED);
    }

    /**
     * Resolves the services of a source's incidents again against the catalog as it is now (a
     * service may have gained its PagerDuty annotation since). Only incidents whose services differ
     * are written.
     *
     * @return how many incidents changed
     */
    @Transactional
    public int remapServices(String sourceId, ServiceResolver.Snapshot catalog) {
        Map<Long, List<UpstreamRef>> refs = new HashMap<>();
        db.select(INCIDENT_UPSTREAM_REF.INCIDENT_ID, INCIDENT_UPSTREAM_REF.KIND, INCIDENT_UPSTREAM_REF.REF_VALUE)
                .from(INCIDENT_UPSTREAM_REF).join(INCIDENT).on(INCIDENT.ID.eq(INCIDENT_UPSTREAM_REF.INCIDENT_ID))
                .where(INCIDENT.SOURCE_ID.eq(sourceId))
                .forEach(r -> refs.computeIfAbsent(r.value1(), k -> new ArrayList<>()).add(new UpstreamRef(r.value2(), r.value3())));
        Map<Long, Set<String>> current = new HashMap<>();
        db.select(INCIDENT_SERVICE.INCIDENT_ID, INCIDENT_SERVICE.SERVICE_NAME).from(INCIDENT_SERVICE)
                .join(INCIDENT).on(INCIDENT.ID.eq(INCIDENT_SERVICE.INCIDENT_ID))
                .where(INCIDENT.SOURCE_ID.eq(sourceId))
                .forEach(r -> current.computeIfAbsent(r.value1(), k -> new TreeSet<>()).add(r.value2()));
        int changed = 0;
        OffsetDateTime now = OffsetDateTime.now(clock);
        for (Long id : db.select(INCIDENT.ID).from(INCIDENT).where(INCIDENT.SOURCE_ID.eq(sourceId)).fetch(INCIDENT.ID)) {
            List<String> resolved = catalog.resolve(refs.getOrDefault(id, List.of()));
            if (!new TreeSet<>(resolved).equals(current.getOrDefault(id, Set.of()))) {
                replaceServicesIfChanged(id, resolved);
                db.update(INCIDENT).set(INCIDENT.UPDATED_AT, now).where(INCIDENT.ID.eq(id)).execute();
                changed++;
            }
        }
        return changed;
    }

    /**
     * The earliest detection (or first known) time of a source's incidents that are not resolved
     * yet: collectors whose upstream filters by creation time re-read from there, so an incident
     * acknowledged or resolved after it was first collected is updated.
     */
    public Instant oldestUnresolved(String sourceId) {
        OffsetDateTime oldest = db.select(org.jooq.impl.DSL.min(INCIDENT.OCCURRED_AT)).from(INCIDENT)
                .where(INCIDENT.SOURCE_ID.eq(sourceId).and(INCIDENT.RESOLVED_AT.isNull()))
                .fetchOne(0, OffsetDateTime.class);
        return oldest == null ? null : oldest.toInstant();
    }

    private void writeChildren(long id, MappedIncident incident) {
        Set<UpstreamRef> refs = new LinkedHashSet<>(incident.refs());
        for (UpstreamRef ref : refs) {
            db.insertInto(INCIDENT_UPSTREAM_REF)
                    .set(INCIDENT_UPSTREAM_REF.INCIDENT_ID, id)
                    .set(INCIDENT_UPSTREAM_REF.KIND, ref.kind())
                    .set(INCIDENT_UPSTREAM_REF.REF_VALUE, ref.value())
                    .execute();
        }
        List<IncidentEventRecord> events = new ArrayList<>();
        int position = 0;
        for (MappedEvent event : incident.events()) {
            IncidentEventRecord record = db.newRecord(INCIDENT_EVENT);
            record.setIncidentId(id);
            record.setPosition(position++);
            record.setOccurredAt(utc(event.at()));
            record.setKind(event.kind());
            record.setActor(event.actor());
            record.setSummary(event.summary());
            events.add(record);
        }
        if (!events.isEmpty()) {
            db.batchInsert(events).execute();
        }
    }

    private void writeServices(long id, List<String> services) {
        for (String service : new TreeSet<>(services)) {
            db.insertInto(INCIDENT_SERVICE).set(INCIDENT_SERVICE.INCIDENT_ID, id)
                    .set(INCIDENT_SERVICE.SERVICE_NAME, service).execute();
        }
    }

    private boolean replaceServicesIfChanged(long id, List<String> services) {
        Set<String> stored = new TreeSet<>(db.select(INCIDENT_SERVICE.SERVICE_NAME).from(INCIDENT_SERVICE)
                .where(INCIDENT_SERVICE.INCIDENT_ID.eq(id)).fetch(INCIDENT_SERVICE.SERVICE_NAME));
        if (stored.equals(new TreeSet<>(services))) {
            return false;
        }
        db.deleteFrom(INCIDENT_SERVICE).where(INCIDENT_SERVICE.INCIDENT_ID.eq(id)).execute();
        writeServices(id, services);
        return true;
    }

    /** Everything a mapper produced (services excepted: they are compared on their own after resolution). */
    static String contentHash(MappedIncident m) {
        StringBuilder text = new StringBuilder();
        for (Object value : new Object[] {m.sourceType(), m.displayRef(), m.title(), m.severity(), m.status(), m.drill(),
                m.startedAt(), m.detectedAt(), m.acknowledgedAt(), m.mitigatedAt(), m.resolvedAt(), m.upstreamUpdatedAt(),
                m.url(), m.upstreamServices()}) {
            text.append(value).append('\u001f');
        }
        for (UpstreamRef ref : m.refs()) {
            text.append("ref:").append(ref.kind()).append('=').append(ref.value()).append('\u001f');
        }
        for (MappedEvent event : m.events()) {
            text.append("event:").append(event.at()).append('|').append(event.kind()).append('|').append(event.actor())
                    .append('|').append(event.summary()).append('\u001f');
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}

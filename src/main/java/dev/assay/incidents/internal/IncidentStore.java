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
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.assay.common.BoundBatchInsert;
import dev.assay.common.KeyPairsIn;
import dev.assay.incidents.internal.MappedIncident.MappedEvent;
import dev.assay.incidents.internal.MappedIncident.UpstreamRef;
import dev.assay.incidents.internal.db.tables.records.IncidentEventRecord;
import dev.assay.incidents.internal.db.tables.records.IncidentRecord;
import dev.assay.incidents.internal.db.tables.records.IncidentServiceRecord;
import dev.assay.incidents.internal.db.tables.records.IncidentUpstreamRefRecord;

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

    /** Values per IN list. */
    private static final int IN_LIST = 1_000;

    private final DSLContext db;
    private final Clock clock;

    IncidentStore(DSLContext db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** An incident with the catalog services it resolved to. */
    public record Resolved(MappedIncident incident, List<String> services) {
    }

    @Transactional
    public Stored upsert(MappedIncident incident, List<String> services) {
        return upsertAll(List.of(new Resolved(incident, services))).get(0);
    }

    /**
     * Writes a chunk of incidents in a fixed number of round trips, whatever its size: one select
     * of the stored rows (and one of their services) by external id, one multi-row insert of the
     * new incidents returning their ids, multi-row inserts of their references, events and
     * services; changed incidents are updated one statement each (rare: an acknowledgement or a
     * resolution), their children replaced with the same multi-row inserts. An incident whose
     * content hash and services equal what is stored is not written. When the chunk names one
     * incident twice, the later one wins.
     *
     * @return what was done to each item, in the order given
     */
    @Transactional
    public List<Stored> upsertAll(List<Resolved> items) {
        KeyPairsIn.planForTheirValues(db);
        Map<Key, Resolved> byKey = new LinkedHashMap<>();
        for (Resolved item : items) {
            MappedIncident incident = item.incident();
            if (incident.occurredAt() == null) {
                // Mappers reject such incidents first; this guards the NOT NULL column with a clear message.
                throw new IllegalArgumentException("incident " + incident.externalId() + " has no timestamp at all");
            }
            Key key = new Key(incident.sourceId(), incident.externalId());
            byKey.remove(key);
            byKey.put(key, item);
        }
        Map<Key, Existing> existing = existing(byKey.keySet());
        OffsetDateTime now = OffsetDateTime.now(clock);
        List<Key> created = new ArrayList<>();
        List<Key> contentChanged = new ArrayList<>();
        List<Key> servicesOnly = new ArrayList<>();
        Map<Key, String> hashes = new HashMap<>();
        Map<Key, Stored> outcomes = new HashMap<>();
        for (Map.Entry<Key, Resolved> e : byKey.entrySet()) {
            String hash = contentHash(e.getValue().incident());
            hashes.put(e.getKey(), hash);
            Existing stored = existing.get(e.getKey());
            if (stored == null) {
                created.add(e.getKey());
                continue;
            }
            boolean servicesChanged = !stored.services().equals(new TreeSet<>(e.getValue().services()));
            if (!hash.equals(stored.hash())) {
                contentChanged.add(e.getKey());
            } else if (servicesChanged) {
                servicesOnly.add(e.getKey());
            } else {
                outcomes.put(e.getKey(), new Stored(stored.id(), Outcome.UNCHANGED));
            }
            if (servicesChanged || !hash.equals(stored.hash())) {
                outcomes.put(e.getKey(), new Stored(stored.id(), Outcome.UPDATED));
            }
        }

        Map<Key, Long> ids = new HashMap<>();
        existing.forEach((key, stored) -> ids.put(key, stored.id()));
        ids.putAll(insertIncidents(created, byKey, hashes, now));
        created.forEach(key -> outcomes.put(key, new Stored(ids.get(key), Outcome.CREATED)));

        for (Key key : contentChanged) {
            updateIncident(ids.get(key), byKey.get(key).incident(), hashes.get(key), now);
        }
        List<Long> rewritten = contentChanged.stream().map(ids::get).toList();
        if (!rewritten.isEmpty()) {
            db.deleteFrom(INCIDENT_EVENT).where(INCIDENT_EVENT.INCIDENT_ID.in(rewritten)).execute();
            db.deleteFrom(INCIDENT_UPSTREAM_REF).where(INCIDENT_UPSTREAM_REF.INCIDENT_ID.in(rewritten)).execute();
        }
        List<Key> withChildren = new ArrayList<>(created);
        withChildren.addAll(contentChanged);
        writeChildren(withChildren, byKey, ids);

        List<Key> servicesRewritten = new ArrayList<>(contentChanged);
        servicesRewritten.removeIf(key -> existing.get(key).services().equals(new TreeSet<>(byKey.get(key).services())));
        servicesRewritten.addAll(servicesOnly);
        List<Long> servicesIds = servicesRewritten.stream().map(ids::get).toList();
        if (!servicesIds.isEmpty()) {
            db.deleteFrom(INCIDENT_SERVICE).where(INCIDENT_SERVICE.INCIDENT_ID.in(servicesIds)).execute();
        }
        List<Key> withServices = new ArrayList<>(created);
        withServices.addAll(servicesRewritten);
        writeServices(withServices, byKey, ids);
        List<Long> touched = servicesOnly.stream().map(ids::get).toList();
        if (!touched.isEmpty()) {
            db.update(INCIDENT).set(INCIDENT.UPDATED_AT, now).where(INCIDENT.ID.in(touched)).execute();
        }

        List<Stored> result = new ArrayList<>(items.size());
        for (Resolved item : items) {
            result.add(outcomes.get(new Key(item.incident().sourceId(), item.incident().externalId())));
        }
        return result;
    }

    /**
     * The upstream's own update time of the stored incidents of a source, by external id: absent when
     * the incident is not stored, a null value when it is stored without one.
     */
    public Map<String, Instant> upstreamUpdatedAt(String sourceId, Collection<String> externalIds) {
        Map<String, Instant> found = new HashMap<>();
        if (externalIds.isEmpty()) {
            return found;
        }
        db.select(INCIDENT.EXTERNAL_ID, INCIDENT.UPSTREAM_UPDATED_AT).from(INCIDENT)
                .where(bySourceAndExternalId(sourceId, externalIds))
                .forEach(r -> found.put(r.value1(), r.value2() == null ? null : r.value2().toInstant()));
        return found;
    }

    /** The earliest first known time of the named stored incidents of a source, or null when none is stored. */
    public Instant oldestOccurred(String sourceId, Collection<String> externalIds) {
        Instant oldest = null;
        List<String> ids = new ArrayList<>(externalIds);
        for (int from = 0; from < ids.size(); from += IN_LIST) {
            OffsetDateTime min = db.select(DSL.min(INCIDENT.OCCURRED_AT)).from(INCIDENT)
                    .where(bySourceAndExternalId(sourceId, ids.subList(from, Math.min(ids.size(), from + IN_LIST))))
                    .fetchOne(0, OffsetDateTime.class);
            if (min != null && (oldest == null || min.toInstant().isBefore(oldest))) {
                oldest = min.toInstant();
            }
        }
        return oldest;
    }

    private record Key(String sourceId, String externalId) {
    }

    /** Consecutive slices of at most {@link #IN_LIST} values, one query each. */
    private static <T> List<List<T>> slices(List<T> values) {
        List<List<T>> slices = new ArrayList<>();
        for (int from = 0; from < values.size(); from += IN_LIST) {
            slices.add(values.subList(from, Math.min(values.size(), from + IN_LIST)));
        }
        return slices;
    }

    /** The incidents of a source with the given external ids, looked up in the unique key's index ({@link KeyPairsIn}). */
    private Condition bySourceAndExternalId(String sourceId, Collection<String> externalIds) {
        return KeyPairsIn.of(db, INCIDENT.SOURCE_ID, sourceId, INCIDENT.EXTERNAL_ID, externalIds);
    }

    private record Existing(long id, String hash, Set<String> services) {
    }

    private Map<Key, Existing> existing(Collection<Key> keys) {
        Map<String, List<String>> bySource = new LinkedHashMap<>();
        keys.forEach(k -> bySource.computeIfAbsent(k.sourceId(), s -> new ArrayList<>()).add(k.externalId()));
        Map<Key, Long> ids = new HashMap<>();
        Map<Key, String> hashes = new HashMap<>();
        bySource.forEach((source, externalIds) -> slices(externalIds).forEach(slice -> db
                .select(INCIDENT.ID, INCIDENT.EXTERNAL_ID, INCIDENT.CONTENT_SHA256)
                .from(INCIDENT).where(bySourceAndExternalId(source, slice))
                .forEach(r -> {
                    ids.put(new Key(source, r.value2()), r.value1());
                    hashes.put(new Key(source, r.value2()), r.value3().trim());
                })));
        Map<Long, Set<String>> services = new HashMap<>();
        slices(new ArrayList<>(ids.values())).forEach(slice -> db
                .select(INCIDENT_SERVICE.INCIDENT_ID, INCIDENT_SERVICE.SERVICE_NAME).from(INCIDENT_SERVICE)
                .where(INCIDENT_SERVICE.INCIDENT_ID.in(slice))
                .forEach(r -> services.computeIfAbsent(r.value1(), k -> new TreeSet<>()).add(r.value2())));
        Map<Key, Existing> existing = new HashMap<>();
        ids.forEach((key, id) -> existing.put(key, new Existing(id, hashes.get(key), services.getOrDefault(id, Set.of()))));
        return existing;
    }

    /** Inserts the new incidents (one batch) and reads their generated ids back by key (one indexed query per source). */
    private Map<Key, Long> insertIncidents(List<Key> keys, Map<Key, Resolved> items, Map<Key, String> hashes,
            OffsetDateTime now) {
        Map<Key, Long> ids = new HashMap<>();
        if (keys.isEmpty()) {
            return ids;
        }
        BoundBatchInsert.insert(db, keys.stream().map(key -> incidentRecord(items.get(key).incident(), hashes.get(key), now)).toList());
        Map<String, List<String>> bySource = new LinkedHashMap<>();
        keys.forEach(k -> bySource.computeIfAbsent(k.sourceId(), s -> new ArrayList<>()).add(k.externalId()));
        bySource.forEach((source, externalIds) -> slices(externalIds).forEach(slice -> db
                .select(INCIDENT.ID, INCIDENT.EXTERNAL_ID).from(INCIDENT).where(bySourceAndExternalId(source, slice))
                .forEach(r -> ids.put(new Key(source, r.value2()), r.value1()))));
        return ids;
    }

    private IncidentRecord incidentRecord(MappedIncident incident, String hash, OffsetDateTime now) {
        IncidentRecord record = db.newRecord(INCIDENT);
        record.setSourceId(incident.sourceId());
        record.setSourceType(incident.sourceType());
        record.setExternalId(incident.externalId());
        record.setDisplayRef(incident.displayRef());
        record.setTitle(incident.title());
        record.setSeverity(incident.severity());
        record.setStatus(incident.status());
        record.setIsDrill(incident.drill());
        record.setStartedAt(utc(incident.startedAt()));
        record.setDetectedAt(utc(incident.detectedAt()));
        record.setAcknowledgedAt(utc(incident.acknowledgedAt()));
        record.setMitigatedAt(utc(incident.mitigatedAt()));
        record.setResolvedAt(utc(incident.resolvedAt()));
        record.setOccurredAt(utc(incident.occurredAt()));
        record.setUpstreamUpdatedAt(utc(incident.upstreamUpdatedAt()));
        record.setUrl(incident.url());
        record.setUpstreamServices(incident.upstreamServices());
        record.setContentSha256(hash);
        record.setFirstCollectedAt(now);
        record.setUpdatedAt(now);
        return record;
    }

    private void updateIncident(long id, MappedIncident incident, String hash, OffsetDateTime now) {
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
                .set(INCIDENT.OCCURRED_AT, utc(incident.occurredAt()))
                .set(INCIDENT.UPSTREAM_UPDATED_AT, utc(incident.upstreamUpdatedAt()))
                .set(INCIDENT.URL, incident.url())
                .set(INCIDENT.UPSTREAM_SERVICES, incident.upstreamServices())
                .set(INCIDENT.CONTENT_SHA256, hash)
                .set(INCIDENT.UPDATED_AT, now)
                .where(INCIDENT.ID.eq(id)).execute();
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
        catalog.prefetch(refs.values().stream().flatMap(List::stream).toList());
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
        OffsetDateTime oldest = db.select(DSL.min(INCIDENT.OCCURRED_AT)).from(INCIDENT)
                .where(INCIDENT.SOURCE_ID.eq(sourceId).and(INCIDENT.RESOLVED_AT.isNull()))
                .fetchOne(0, OffsetDateTime.class);
        return oldest == null ? null : oldest.toInstant();
    }

    private void writeChildren(List<Key> keys, Map<Key, Resolved> items, Map<Key, Long> ids) {
        List<IncidentUpstreamRefRecord> refs = new ArrayList<>();
        List<IncidentEventRecord> events = new ArrayList<>();
        for (Key key : keys) {
            long id = ids.get(key);
            MappedIncident incident = items.get(key).incident();
            for (UpstreamRef ref : new LinkedHashSet<>(incident.refs())) {
                IncidentUpstreamRefRecord record = db.newRecord(INCIDENT_UPSTREAM_REF);
                record.setIncidentId(id);
                record.setKind(ref.kind());
                record.setRefValue(ref.value());
                refs.add(record);
            }
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
        }
        BoundBatchInsert.insert(db, refs);
        BoundBatchInsert.insert(db, events);
    }

    private void writeServices(List<Key> keys, Map<Key, Resolved> items, Map<Key, Long> ids) {
        List<IncidentServiceRecord> rows = new ArrayList<>();
        for (Key key : keys) {
            for (String service : new TreeSet<>(items.get(key).services())) {
                IncidentServiceRecord record = db.newRecord(INCIDENT_SERVICE);
                record.setIncidentId(ids.get(key));
                record.setServiceName(service);
                rows.add(record);
            }
        }
        BoundBatchInsert.insert(db, rows);
    }

    private void writeServices(long id, List<String> services) {
        List<IncidentServiceRecord> rows = new ArrayList<>();
        for (String service : new TreeSet<>(services)) {
            IncidentServiceRecord record = db.newRecord(INCIDENT_SERVICE);
            record.setIncidentId(id);
            record.setServiceName(service);
            rows.add(record);
        }
        BoundBatchInsert.insert(db, rows);
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

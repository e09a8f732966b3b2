package dev.assay.builds.internal;

import static dev.assay.builds.internal.db.Tables.PIPELINE_RUN;
import static dev.assay.builds.internal.db.Tables.PIPELINE_RUN_SERVICE;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

import org.jooq.DSLContext;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.assay.builds.internal.db.tables.records.PipelineRunRecord;

/**
 * Writes pipeline runs. An upsert on (source, external id, attempt) that changes nothing when the
 * stored values are equal: collecting an unchanged run again writes no row and keeps
 * {@code updated_at}.
 */
@Component
public class RunStore {

    /** What an upsert did. */
    public enum Outcome { INSERTED, UPDATED, UNCHANGED }

    public record Stored(long id, Outcome outcome) {
    }

    private final DSLContext db;
    private final Clock clock;

    RunStore(DSLContext db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Transactional
    public Stored upsert(PipelineRun run, List<String> services) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        PipelineRunRecord stored = db.selectFrom(PIPELINE_RUN)
                .where(PIPELINE_RUN.SOURCE_ID.eq(run.sourceId()).and(PIPELINE_RUN.EXTERNAL_ID.eq(run.externalId()))
                        .and(PIPELINE_RUN.ATTEMPT.eq(run.attempt())))
                .forUpdate().fetchOne();
        Outcome outcome;
        if (stored == null) {
            stored = db.newRecord(PIPELINE_RUN);
            stored.setSourceId(run.sourceId());
            stored.setExternalId(run.externalId());
            stored.setAttempt(run.attempt());
            stored.setCollectedAt(now);
            copy(run, stored, !services.isEmpty());
            stored.setUpdatedAt(now);
            stored.store();
            outcome = Outcome.INSERTED;
        } else if (sameValues(run, stored, !services.isEmpty())) {
            outcome = Outcome.UNCHANGED;
        } else {
            copy(run, stored, !services.isEmpty());
            stored.setUpdatedAt(now);
            stored.store();
            outcome = Outcome.UPDATED;
        }
        boolean servicesChanged = replaceServices(stored.getId(), services);
        if (outcome == Outcome.UNCHANGED && servicesChanged) {
            outcome = Outcome.UPDATED;
        }
        return new Stored(stored.getId(), outcome);
    }

    /** The services of a run changed (a catalog link was added or removed): true when rows were written. */
    @Transactional
    public boolean replaceServices(long runId, List<String> services) {
        var current = new TreeSet<>(db.select(PIPELINE_RUN_SERVICE.SERVICE_NAME).from(PIPELINE_RUN_SERVICE)
                .where(PIPELINE_RUN_SERVICE.RUN_ID.eq(runId)).fetch(PIPELINE_RUN_SERVICE.SERVICE_NAME));
        var wanted = new TreeSet<>(services);
        if (current.equals(wanted)) {
            return false;
        }
        db.deleteFrom(PIPELINE_RUN_SERVICE).where(PIPELINE_RUN_SERVICE.RUN_ID.eq(runId)).execute();
        for (String service : wanted) {
            db.insertInto(PIPELINE_RUN_SERVICE).set(PIPELINE_RUN_SERVICE.RUN_ID, runId)
                    .set(PIPELINE_RUN_SERVICE.SERVICE_NAME, service).execute();
        }
        db.update(PIPELINE_RUN).set(PIPELINE_RUN.MAPPED, !wanted.isEmpty()).where(PIPELINE_RUN.ID.eq(runId)).execute();
        return true;
    }

    /** The upstream's {@code updated_at} of a stored run, to skip reading the details of an unchanged one. */
    public Optional<Instant> upstreamUpdatedAt(String sourceId, String externalId, int attempt) {
        return db.select(PIPELINE_RUN.UPSTREAM_UPDATED_AT).from(PIPELINE_RUN)
                .where(PIPELINE_RUN.SOURCE_ID.eq(sourceId).and(PIPELINE_RUN.EXTERNAL_ID.eq(externalId))
                        .and(PIPELINE_RUN.ATTEMPT.eq(attempt)))
                .fetchOptional(PIPELINE_RUN.UPSTREAM_UPDATED_AT).map(OffsetDateTime::toInstant);
    }

    /** The creation time of the oldest run of a repository that was not completed when last collected. */
    public Optional<Instant> oldestUnfinished(String sourceId, String repository) {
        return Optional.ofNullable(db.select(org.jooq.impl.DSL.min(PIPELINE_RUN.CREATED_AT)).from(PIPELINE_RUN)
                .where(PIPELINE_RUN.SOURCE_ID.eq(sourceId).and(PIPELINE_RUN.REPOSITORY.eq(repository))
                        .and(PIPELINE_RUN.STATUS.ne(PipelineRun.COMPLETED)))
                .fetchOne(0, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
    }

    /** The unmapped runs of a source, with their links, to resolve again against the current catalog. */
    public List<PipelineRunRecord> unmapped(String sourceId) {
        return db.selectFrom(PIPELINE_RUN).where(PIPELINE_RUN.SOURCE_ID.eq(sourceId).and(PIPELINE_RUN.MAPPED.isFalse()))
                .fetch();
    }

    private static void copy(PipelineRun run, PipelineRunRecord r, boolean mapped) {
        r.setCiSystem(run.system());
        r.setRepository(run.repository());
        r.setWorkflow(run.workflow());
        r.setRunNumber(run.runNumber());
        r.setCommitSha(run.commitSha());
        r.setBranch(run.branch());
        r.setTriggerEvent(run.triggerEvent());
        r.setStatus(run.status());
        r.setUpstreamStatus(run.upstreamStatus());
        r.setConclusion(run.conclusion());
        r.setCreatedAt(utc(run.createdAt()));
        r.setStartedAt(utc(run.startedAt()));
        r.setFinishedAt(utc(run.finishedAt()));
        r.setDurationS(run.durationS());
        r.setUrl(run.url());
        r.setActor(run.actor());
        r.setUpstreamUpdatedAt(utc(run.upstreamUpdatedAt()));
        r.setMapped(mapped);
        r.setServiceLinks(encode(run.links()));
    }

    private static boolean sameValues(PipelineRun run, PipelineRunRecord r, boolean mapped) {
        return Objects.equals(r.getCiSystem(), run.system()) && Objects.equals(r.getRepository(), run.repository())
                && Objects.equals(r.getWorkflow(), run.workflow()) && Objects.equals(r.getRunNumber(), run.runNumber())
                && Objects.equals(r.getCommitSha(), run.commitSha()) && Objects.equals(r.getBranch(), run.branch())
                && Objects.equals(r.getTriggerEvent(), run.triggerEvent()) && Objects.equals(r.getStatus(), run.status())
                && Objects.equals(r.getUpstreamStatus(), run.upstreamStatus())
                && Objects.equals(r.getConclusion(), run.conclusion()) && sameInstant(r.getCreatedAt(), run.createdAt())
                && sameInstant(r.getStartedAt(), run.startedAt()) && sameInstant(r.getFinishedAt(), run.finishedAt())
                && Objects.equals(r.getDurationS(), run.durationS()) && Objects.equals(r.getUrl(), run.url())
                && Objects.equals(r.getActor(), run.actor()) && sameInstant(r.getUpstreamUpdatedAt(), run.upstreamUpdatedAt())
                && Objects.equals(r.getMapped(), mapped) && Objects.equals(r.getServiceLinks(), encode(run.links()));
    }

    static String encode(List<ServiceLink> links) {
        StringBuilder text = new StringBuilder();
        for (ServiceLink link : links) {
            text.append(link.kind()).append('=').append(link.value()).append('\n');
        }
        return text.length() > 2000 ? text.substring(0, 2000) : text.toString();
    }

    static List<ServiceLink> decode(String text) {
        List<ServiceLink> links = new java.util.ArrayList<>();
        for (String line : text == null ? new String[0] : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                links.add(new ServiceLink(line.substring(0, eq), line.substring(eq + 1)));
            }
        }
        return links;
    }

    /** Maps the source's unmapped runs again against the catalog as it is now; returns how many gained a service. */
    @Transactional
    public int remapUnmapped(String sourceId, RunServices.Lookup lookup) {
        int mapped = 0;
        for (PipelineRunRecord run : unmapped(sourceId)) {
            List<String> services = lookup.services(decode(run.getServiceLinks()));
            if (!services.isEmpty() && replaceServices(run.getId(), services)) {
                mapped++;
            }
        }
        return mapped;
    }

    private static boolean sameInstant(OffsetDateTime stored, Instant value) {
        return stored == null ? value == null : value != null && stored.toInstant().equals(value);
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}

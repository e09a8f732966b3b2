package dev.assay.collect;

import static dev.assay.collect.internal.db.Tables.QUARANTINE;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.Optional;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.assay.collect.internal.db.tables.records.QuarantineRecord;
import dev.assay.common.AuditEvent;
import dev.assay.common.PageRequest;
import dev.assay.common.PageResult;

/**
 * Where rejected records go instead of being dropped. A record is keyed by source, location and
 * payload hash: collecting the same bad record again bumps {@code times_seen} instead of adding a row.
 */
@Service
public class Quarantine {

    public static final String OPEN = "open";
    public static final String DISMISSED = "dismissed";

    private final DSLContext db;
    private final Clock clock;
    private final CollectSettings settings;
    private final ApplicationEventPublisher events;

    Quarantine(DSLContext db, Clock clock, CollectSettings settings, ApplicationEventPublisher events) {
        this.db = db;
        this.clock = clock;
        this.settings = settings;
        this.events = events;
    }

    /** Keeps a rejected record; joins the caller's transaction, so it commits with the chunk around it. */
    @Transactional
    public void hold(String sourceId, String kind, String location, String payload, String reason, Long jobExecutionId) {
        byte[] bytes = payload == null ? new byte[0] : payload.getBytes(StandardCharsets.UTF_8);
        int limit = settings.quarantinePayloadLimitBytes();
        boolean truncated = bytes.length > limit;
        String kept = truncated ? new String(bytes, 0, limit, StandardCharsets.UTF_8) : payload;
        OffsetDateTime now = OffsetDateTime.now(clock);
        String safeReason = reason == null || reason.isBlank() ? "rejected without a reason" : reason;
        if (safeReason.length() > 2000) {
            safeReason = safeReason.substring(0, 1997) + "...";
        }
        String safeLocation = location.length() > 1000 ? location.substring(0, 1000) : location;
        db.insertInto(QUARANTINE)
                .set(QUARANTINE.SOURCE_ID, sourceId)
                .set(QUARANTINE.KIND, kind)
                .set(QUARANTINE.LOCATION, safeLocation)
                .set(QUARANTINE.PAYLOAD_SHA256, sha256(bytes))
                .set(QUARANTINE.REASON, safeReason)
                .set(QUARANTINE.PAYLOAD, kept)
                .set(QUARANTINE.PAYLOAD_SIZE, (long) bytes.length)
                .set(QUARANTINE.PAYLOAD_TRUNCATED, truncated)
                .set(QUARANTINE.STATUS, OPEN)
                .set(QUARANTINE.FIRST_SEEN_AT, now)
                .set(QUARANTINE.LAST_SEEN_AT, now)
                .set(QUARANTINE.TIMES_SEEN, 1)
                .set(QUARANTINE.JOB_EXECUTION_ID, jobExecutionId)
                .onConflict(QUARANTINE.SOURCE_ID, QUARANTINE.LOCATION, QUARANTINE.PAYLOAD_SHA256)
                .doUpdate()
                .set(QUARANTINE.REASON, safeReason)
                .set(QUARANTINE.LAST_SEEN_AT, now)
                .set(QUARANTINE.TIMES_SEEN, QUARANTINE.TIMES_SEEN.plus(1))
                .set(QUARANTINE.JOB_EXECUTION_ID, jobExecutionId)
                .execute();
    }

    public PageResult<QuarantinedRecord> list(String sourceId, String status, PageRequest page) {
        Condition where = DSL.trueCondition();
        if (sourceId != null && !sourceId.isBlank()) {
            where = where.and(QUARANTINE.SOURCE_ID.eq(sourceId));
        }
        if (status != null && !status.isBlank()) {
            where = where.and(QUARANTINE.STATUS.eq(status));
        }
        long total = db.fetchCount(QUARANTINE, where);
        var items = db.selectFrom(QUARANTINE).where(where)
                .orderBy(QUARANTINE.LAST_SEEN_AT.desc(), QUARANTINE.ID.desc())
                .limit(page.size()).offset(page.offset())
                .fetch(Quarantine::toRecord);
        return new PageResult<>(items, total, page.page(), page.size());
    }

    public Optional<QuarantinedRecord> find(long id) {
        return db.selectFrom(QUARANTINE).where(QUARANTINE.ID.eq(id)).fetchOptional(Quarantine::toRecord);
    }

    /** Counts the records a job execution put into (or saw again in) quarantine. */
    public int countForExecution(long jobExecutionId) {
        return db.fetchCount(QUARANTINE, QUARANTINE.JOB_EXECUTION_ID.eq(jobExecutionId));
    }

    @Transactional
    public boolean dismiss(long id, String actor) {
        boolean dismissed = db.update(QUARANTINE).set(QUARANTINE.STATUS, DISMISSED)
                .where(QUARANTINE.ID.eq(id).and(QUARANTINE.STATUS.eq(OPEN))).execute() == 1;
        if (dismissed) {
            events.publishEvent(new AuditEvent(actor, "quarantine.dismissed", "quarantine", String.valueOf(id), OPEN, DISMISSED));
        }
        return dismissed;
    }

    private static QuarantinedRecord toRecord(QuarantineRecord r) {
        return new QuarantinedRecord(r.getId(), r.getSourceId(), r.getKind(), r.getLocation(), r.getReason(),
                r.getPayload(), r.getPayloadSize(), r.getPayloadTruncated(), r.getStatus(),
                r.getFirstSeenAt().toInstant(), r.getLastSeenAt().toInstant(), r.getTimesSeen(), r.getJobExecutionId());
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}

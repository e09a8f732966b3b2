package dev.assay.incidents.internal;

import static dev.assay.incidents.internal.db.Tables.INCIDENT;
import static dev.assay.incidents.internal.db.Tables.REVIEW;
import static dev.assay.incidents.internal.db.Tables.REVIEW_ACTION;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

import dev.assay.incidents.internal.db.tables.records.ReviewActionRecord;
import dev.assay.incidents.internal.db.tables.records.ReviewRecord;

/** Reads and writes reviews, their action items and the runbook link; callers check permissions and audit. */
@Component
public class ReviewStore {

    private final DSLContext db;

    ReviewStore(DSLContext db) {
        this.db = db;
    }

    public Optional<ReviewRecord> review(long incidentId) {
        return db.selectFrom(REVIEW).where(REVIEW.INCIDENT_ID.eq(incidentId)).fetchOptional();
    }

    public List<ReviewActionRecord> actions(long reviewId) {
        return db.selectFrom(REVIEW_ACTION).where(REVIEW_ACTION.REVIEW_ID.eq(reviewId))
                .orderBy(REVIEW_ACTION.DUE_DATE, REVIEW_ACTION.ID).fetch();
    }

    public Optional<ReviewActionRecord> action(long reviewId, long actionId) {
        return db.selectFrom(REVIEW_ACTION).where(REVIEW_ACTION.ID.eq(actionId).and(REVIEW_ACTION.REVIEW_ID.eq(reviewId)))
                .fetchOptional();
    }

    public long createReview(long incidentId, String status, String summary, String rootCauses, String wentWell,
            String wentBadly, Instant impactStartedAt, String actor, Instant now) {
        return db.insertInto(REVIEW)
                .set(REVIEW.INCIDENT_ID, incidentId).set(REVIEW.STATUS, status).set(REVIEW.SUMMARY, summary)
                .set(REVIEW.ROOT_CAUSES, rootCauses).set(REVIEW.WENT_WELL, wentWell).set(REVIEW.WENT_BADLY, wentBadly)
                .set(REVIEW.IMPACT_STARTED_AT, utc(impactStartedAt))
                .set(REVIEW.CREATED_BY, actor).set(REVIEW.CREATED_AT, utc(now))
                .set(REVIEW.UPDATED_BY, actor).set(REVIEW.UPDATED_AT, utc(now))
                .returning(REVIEW.ID).fetchOne(REVIEW.ID);
    }

    public void updateReview(long reviewId, String status, String summary, String rootCauses, String wentWell,
            String wentBadly, Instant impactStartedAt, String actor, Instant now) {
        db.update(REVIEW).set(REVIEW.STATUS, status).set(REVIEW.SUMMARY, summary).set(REVIEW.ROOT_CAUSES, rootCauses)
                .set(REVIEW.WENT_WELL, wentWell).set(REVIEW.WENT_BADLY, wentBadly)
                .set(REVIEW.IMPACT_STARTED_AT, utc(impactStartedAt))
                .set(REVIEW.UPDATED_BY, actor).set(REVIEW.UPDATED_AT, utc(now))
                .where(REVIEW.ID.eq(reviewId)).execute();
    }

    public long addAction(long reviewId, String description, String owner, LocalDate due, String actor, Instant now) {
        return db.insertInto(REVIEW_ACTION)
                .set(REVIEW_ACTION.REVIEW_ID, reviewId).set(REVIEW_ACTION.DESCRIPTION, description)
                .set(REVIEW_ACTION.OWNER, owner).set(REVIEW_ACTION.DUE_DATE, due).set(REVIEW_ACTION.STATUS, "open")
                .set(REVIEW_ACTION.CREATED_BY, actor).set(REVIEW_ACTION.CREATED_AT, utc(now))
                .returning(REVIEW_ACTION.ID).fetchOne(REVIEW_ACTION.ID);
    }

    public boolean completeAction(long actionId, String actor, Instant now) {
        return db.update(REVIEW_ACTION).set(REVIEW_ACTION.STATUS, "done").set(REVIEW_ACTION.COMPLETED_BY, actor)
                .set(REVIEW_ACTION.COMPLETED_AT, utc(now))
                .where(REVIEW_ACTION.ID.eq(actionId).and(REVIEW_ACTION.STATUS.eq("open"))).execute() == 1;
    }

    public Long runbookId(long incidentId) {
        return db.select(INCIDENT.RUNBOOK_ID).from(INCIDENT).where(INCIDENT.ID.eq(incidentId)).fetchOne(INCIDENT.RUNBOOK_ID);
    }

    public void linkRunbook(long incidentId, Long runbookId) {
        db.update(INCIDENT).set(INCIDENT.RUNBOOK_ID, runbookId).where(INCIDENT.ID.eq(incidentId)).execute();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}

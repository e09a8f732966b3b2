package dev.assay.builds.internal;

import static dev.assay.builds.internal.db.Tables.BUILD_ANOMALY;
import static dev.assay.builds.internal.db.Tables.PIPELINE_RUN;
import static dev.assay.builds.internal.db.Tables.PIPELINE_RUN_SERVICE;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.assay.builds.BuildAnomalyDetected;
import dev.assay.builds.internal.db.tables.records.PipelineRunRecord;

/**
 * Checks a newly stored or changed run against the recent successful runs of its workflow
 * ({@link DurationAnomalyRule}); an anomalous run is kept in {@code build_anomaly} and announced as
 * {@link BuildAnomalyDetected} once per service it belongs to, in the transaction that stored it.
 */
@Component
public class BuildAnomalies {

    private final DSLContext db;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    BuildAnomalies(DSLContext db, ApplicationEventPublisher events, Clock clock) {
        this.db = db;
        this.events = events;
        this.clock = clock;
    }

    /** @return true when the run was found anomalous now */
    @Transactional
    public boolean check(long runId, PipelineRun run, List<String> services) {
        return check(new Candidate(runId, run.system(), run.repository(), run.workflow(), run.externalId(), run.attempt(),
                run.runNumber(), run.status(), run.conclusion(), run.durationS(), run.createdAt(), run.finishedAt(), run.url(),
                run.subject()), services);
    }

    /**
     * Checks the source's successful runs stored or changed since {@code since} (the launch of a
     * collection), oldest first. A first collection stores GitHub's runs newest first, when their
     * history is not stored yet; this pass sees each run with its whole history.
     *
     * @return how many were found anomalous
     */
    @Transactional
    public int checkChangedSince(String sourceId, Instant since) {
        List<PipelineRunRecord> changed = db.selectFrom(PIPELINE_RUN)
                .where(PIPELINE_RUN.SOURCE_ID.eq(sourceId).and(PIPELINE_RUN.UPDATED_AT.ge(RunStore.utc(since)))
                        .and(PIPELINE_RUN.STATUS.eq(PipelineRun.COMPLETED)).and(PIPELINE_RUN.CONCLUSION.eq("success"))
                        .and(PIPELINE_RUN.DURATION_S.isNotNull()).and(PIPELINE_RUN.MAPPED.isTrue())
                        .and(PIPELINE_RUN.ID.notIn(DSL.select(BUILD_ANOMALY.RUN_ID).from(BUILD_ANOMALY))))
                .orderBy(PIPELINE_RUN.CREATED_AT, PIPELINE_RUN.ID).fetch();
        int found = 0;
        for (PipelineRunRecord r : changed) {
            List<String> services = db.select(PIPELINE_RUN_SERVICE.SERVICE_NAME).from(PIPELINE_RUN_SERVICE)
                    .where(PIPELINE_RUN_SERVICE.RUN_ID.eq(r.getId())).orderBy(PIPELINE_RUN_SERVICE.SERVICE_NAME)
                    .fetch(PIPELINE_RUN_SERVICE.SERVICE_NAME);
            Candidate candidate = new Candidate(r.getId(), r.getCiSystem(), r.getRepository(), r.getWorkflow(),
                    r.getExternalId(), r.getAttempt(), r.getRunNumber(), r.getStatus(), r.getConclusion(), r.getDurationS(),
                    r.getCreatedAt().toInstant(), r.getFinishedAt() == null ? null : r.getFinishedAt().toInstant(), r.getUrl(),
                    r.getCiSystem() + ":" + r.getRepository() + ":" + r.getExternalId() + "#" + r.getAttempt());
            if (check(candidate, services)) {
                found++;
            }
        }
        return found;
    }

    /** What the rule needs of a run. */
    private record Candidate(long runId, String system, String repository, String workflow, String externalId, int attempt,
            Long runNumber, String status, String conclusion, Long durationS, Instant createdAt, Instant finishedAt,
            String url, String subject) {
    }

    private boolean check(Candidate run, List<String> services) {
        long runId = run.runId();
        if (!PipelineRun.COMPLETED.equals(run.status()) || !"success".equals(run.conclusion()) || run.durationS() == null
                || services.isEmpty()) {
            return false;
        }
        if (db.fetchExists(BUILD_ANOMALY, BUILD_ANOMALY.RUN_ID.eq(runId))) {
            return false;
        }
        Condition sameWorkflow = PIPELINE_RUN.CI_SYSTEM.eq(run.system()).and(PIPELINE_RUN.REPOSITORY.eq(run.repository()))
                .and(run.workflow() == null ? PIPELINE_RUN.WORKFLOW.isNull() : PIPELINE_RUN.WORKFLOW.eq(run.workflow()));
        List<Long> history = db.select(PIPELINE_RUN.DURATION_S).from(PIPELINE_RUN)
                .where(sameWorkflow.and(PIPELINE_RUN.ID.ne(runId)).and(PIPELINE_RUN.CONCLUSION.eq("success"))
                        .and(PIPELINE_RUN.DURATION_S.isNotNull())
                        .and(PIPELINE_RUN.CREATED_AT.lt(RunStore.utc(run.createdAt()))))
                .orderBy(PIPELINE_RUN.CREATED_AT.desc(), PIPELINE_RUN.ID.desc())
                .limit(DurationAnomalyRule.MAX_HISTORY)
                .fetch(PIPELINE_RUN.DURATION_S);
        Optional<DurationAnomalyRule.Verdict> verdict = DurationAnomalyRule.check(run.durationS(), history);
        if (verdict.isEmpty()) {
            return false;
        }
        DurationAnomalyRule.Verdict v = verdict.get();
        OffsetDateTime now = OffsetDateTime.now(clock);
        db.insertInto(BUILD_ANOMALY).set(BUILD_ANOMALY.RUN_ID, runId).set(BUILD_ANOMALY.DURATION_S, run.durationS())
                .set(BUILD_ANOMALY.MEDIAN_S, v.median()).set(BUILD_ANOMALY.MAD_S, v.mad()).set(BUILD_ANOMALY.SCORE, v.score())
                .set(BUILD_ANOMALY.HISTORY_SIZE, v.historySize()).set(BUILD_ANOMALY.DETECTED_AT, now)
                .onConflictDoNothing().execute();
        String direction = run.durationS() > v.median() ? "longer" : "shorter";
        String what = (run.workflow() == null ? "pipeline" : run.workflow()) + " of " + run.repository();
        String title = "Build duration anomaly: " + what + " took " + run.durationS() + " s";
        String detail = String.format(Locale.ROOT,
                "%s run %s (attempt %d, %s) took %d s, %s than the median of %.0f s of the %d previous successful runs"
                        + " (MAD %.1f s, robust z-score %.1f > %.1f).%s",
                run.system(), run.runNumber() == null ? run.externalId() : "#" + run.runNumber(), run.attempt(), what,
                run.durationS(), direction, v.median(), v.historySize(), v.mad(), v.score(), DurationAnomalyRule.THRESHOLD,
                run.url() == null ? "" : " " + run.url());
        Instant observedAt = run.finishedAt() != null ? run.finishedAt() : run.createdAt();
        for (String service : services) {
            events.publishEvent(new BuildAnomalyDetected(service, runId, run.subject(), title, detail, observedAt));
        }
        return true;
    }
}

package dev.assay.builds.internal;

import static dev.assay.builds.internal.db.Tables.BUILD_ANOMALY;
import static dev.assay.builds.internal.db.Tables.PIPELINE_RUN;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.assay.builds.BuildAnomalyDetected;

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
        if (!run.completed() || !"success".equals(run.conclusion()) || run.durationS() == null || services.isEmpty()) {
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
        var observedAt = run.finishedAt() != null ? run.finishedAt() : run.createdAt();
        for (String service : services) {
            events.publishEvent(new BuildAnomalyDetected(service, runId, run.subject(), title, detail, observedAt));
        }
        return true;
    }
}

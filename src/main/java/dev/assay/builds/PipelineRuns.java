package dev.assay.builds;

import static dev.assay.builds.internal.db.Tables.BUILD_ANOMALY;
import static dev.assay.builds.internal.db.Tables.PIPELINE_RUN;
import static dev.assay.builds.internal.db.Tables.PIPELINE_RUN_SERVICE;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Service;

import dev.assay.builds.internal.db.tables.records.PipelineRunRecord;
import dev.assay.catalog.Catalog;
import dev.assay.catalog.ServiceSummary;
import dev.assay.common.PageRequest;
import dev.assay.common.PageResult;

/** Reading stored pipeline runs: the paged list (API and admin pages) and a service's recent builds. */
@Service
public class PipelineRuns {

    /** How many recent runs a service's builds page shows and computes its figures over. */
    public static final int RECENT = 50;

    private final DSLContext db;
    private final Catalog catalog;

    PipelineRuns(DSLContext db, Catalog catalog) {
        this.db = db;
        this.catalog = catalog;
    }

    public PageResult<PipelineRunView> list(PipelineRunFilter filter, PageRequest page) {
        Condition where = condition(filter);
        long total = db.fetchCount(PIPELINE_RUN, where);
        List<PipelineRunRecord> rows = db.selectFrom(PIPELINE_RUN).where(where)
                .orderBy(PIPELINE_RUN.CREATED_AT.desc(), PIPELINE_RUN.ID.desc())
                .limit(page.size()).offset(page.offset()).fetch();
        return new PageResult<>(views(rows), total, page.page(), page.size());
    }

    /** How many runs are mapped to no service. */
    public long unmappedCount() {
        return db.fetchCount(PIPELINE_RUN, PIPELINE_RUN.MAPPED.isFalse());
    }

    public ServiceBuilds service(String service) {
        List<PipelineRunRecord> rows = db.selectFrom(PIPELINE_RUN)
                .where(PIPELINE_RUN.ID.in(DSL.select(PIPELINE_RUN_SERVICE.RUN_ID).from(PIPELINE_RUN_SERVICE)
                        .where(PIPELINE_RUN_SERVICE.SERVICE_NAME.eq(service))))
                .orderBy(PIPELINE_RUN.CREATED_AT.desc(), PIPELINE_RUN.ID.desc()).limit(RECENT).fetch();
        List<PipelineRunView> recent = views(rows);
        int completed = 0;
        int successful = 0;
        List<PipelineRunView> trend = new ArrayList<>();
        for (PipelineRunView run : recent) {
            if ("completed".equals(run.status())) {
                completed++;
                if ("success".equals(run.conclusion())) {
                    successful++;
                }
                if (run.durationS() != null) {
                    trend.add(run);
                }
            }
        }
        trend.sort(Comparator.comparing(PipelineRunView::createdAt).thenComparing(PipelineRunView::id));
        return new ServiceBuilds(service, recent, completed, successful,
                completed == 0 ? null : (double) successful / completed, trend);
    }

    private Condition condition(PipelineRunFilter filter) {
        Condition where = DSL.trueCondition();
        if (filter.source() != null) {
            where = where.and(PIPELINE_RUN.SOURCE_ID.eq(filter.source()));
        }
        if (filter.status() != null) {
            // a conclusion (success, failure, ...) or a status (queued, in_progress, completed)
            where = where.and(PIPELINE_RUN.STATUS.eq(filter.status()).or(PIPELINE_RUN.CONCLUSION.eq(filter.status())));
        }
        if (filter.branch() != null) {
            where = where.and(PIPELINE_RUN.BRANCH.eq(filter.branch()));
        }
        if (filter.mapped() != null) {
            where = where.and(PIPELINE_RUN.MAPPED.eq(filter.mapped()));
        }
        if (filter.service() != null) {
            where = where.and(PIPELINE_RUN.ID.in(DSL.select(PIPELINE_RUN_SERVICE.RUN_ID).from(PIPELINE_RUN_SERVICE)
                    .where(PIPELINE_RUN_SERVICE.SERVICE_NAME.eq(filter.service()))));
        }
        if (filter.team() != null) {
            List<String> services = catalog.services().stream().filter(s -> filter.team().equals(s.owningTeam()))
                    .map(ServiceSummary::name).toList();
            where = where.and(PIPELINE_RUN.ID.in(DSL.select(PIPELINE_RUN_SERVICE.RUN_ID).from(PIPELINE_RUN_SERVICE)
                    .where(PIPELINE_RUN_SERVICE.SERVICE_NAME.in(services))));
        }
        return where;
    }

    private List<PipelineRunView> views(List<PipelineRunRecord> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        List<Long> ids = rows.stream().map(PipelineRunRecord::getId).toList();
        Map<Long, List<String>> services = db.select(PIPELINE_RUN_SERVICE.RUN_ID, PIPELINE_RUN_SERVICE.SERVICE_NAME)
                .from(PIPELINE_RUN_SERVICE).where(PIPELINE_RUN_SERVICE.RUN_ID.in(ids))
                .orderBy(PIPELINE_RUN_SERVICE.SERVICE_NAME)
                .fetchGroups(PIPELINE_RUN_SERVICE.RUN_ID, PIPELINE_RUN_SERVICE.SERVICE_NAME);
        var anomalous = db.select(BUILD_ANOMALY.RUN_ID).from(BUILD_ANOMALY).where(BUILD_ANOMALY.RUN_ID.in(ids))
                .fetchSet(BUILD_ANOMALY.RUN_ID);
        return rows.stream().map(r -> new PipelineRunView(r.getId(), r.getSourceId(), r.getCiSystem(), r.getRepository(),
                r.getWorkflow(), r.getExternalId(), r.getAttempt(), r.getRunNumber(), r.getCommitSha(), r.getBranch(),
                r.getTriggerEvent(), r.getStatus(), r.getConclusion(), instant(r.getCreatedAt()), instant(r.getStartedAt()),
                instant(r.getFinishedAt()), r.getDurationS(), r.getUrl(), r.getActor(),
                services.getOrDefault(r.getId(), List.of()), anomalous.contains(r.getId()))).toList();
    }

    private static java.time.Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }
}

package dev.assay.metrics.internal;

import static dev.assay.metrics.internal.db.Tables.METRIC_DAILY;
import static dev.assay.metrics.internal.db.Tables.METRIC_SAMPLE;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jooq.DSLContext;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.assay.artifacts.ArtifactFigures;
import dev.assay.artifacts.CoverageFigures;
import dev.assay.catalog.Catalog;
import dev.assay.catalog.Ratio;
import dev.assay.catalog.ServiceSummary;
import dev.assay.catalog.TeamSummary;
import dev.assay.findings.FindingFigures;
import dev.assay.findings.OpenCount;
import dev.assay.findings.RemediationTime;
import dev.assay.findings.Severity;
import dev.assay.findings.SlaCompliance;
import dev.assay.incidents.IncidentOccurrence;
import dev.assay.incidents.IncidentTimes;
import dev.assay.incidents.Incidents;
import dev.assay.metrics.MetricNames;
import dev.assay.playbooks.PlaybookFigures;
import dev.assay.metrics.MetricsSettings;
import dev.assay.metrics.internal.db.tables.records.MetricDailyRecord;

/**
 * Writes the rollups of one run (the metricsRollupJob's step): every figure of every configured
 * window for the organisation, each team and each service, as the features' figure services compute
 * it now, under today's date (UTC); and the incident duration samples of the backfill horizon.
 * Re-running on the same day replaces that day's rows and the horizon's samples with the same
 * values, so the job is idempotent.
 */
@Component
public class RollupWriter {

    /** The key of "all" in the team and service columns. */
    public static final String ALL = "";

    private final DSLContext db;
    private final Catalog catalog;
    private final ArtifactFigures artifacts;
    private final FindingFigures findings;
    private final PlaybookFigures playbooks;
    private final Incidents incidents;
    private final MetricsSettings settings;
    private final Clock clock;
    private final RecentFigures recent;

    RollupWriter(DSLContext db, Catalog catalog, ArtifactFigures artifacts, FindingFigures findings,
            PlaybookFigures playbooks, Incidents incidents, MetricsSettings settings, Clock clock, RecentFigures recent) {
        this.db = db;
        this.recent = recent;
        this.catalog = catalog;
        this.artifacts = artifacts;
        this.findings = findings;
        this.playbooks = playbooks;
        this.incidents = incidents;
        this.settings = settings;
        this.clock = clock;
    }

    /** What one run wrote. */
    public record Written(LocalDate day, int dailyRows, int samples) {
    }

    @Transactional
    public Written write() {
        Instant now = clock.instant();
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        OffsetDateTime computedAt = now.atOffset(ZoneOffset.UTC);
        List<Scope> scopes = scopes();
        List<MetricDailyRecord> rows = new ArrayList<>();
        for (String window : settings.windows()) {
            Duration span = Duration.parse(window);
            for (Scope scope : scopes) {
                rows.addAll(figures(day, window, span, scope, computedAt));
            }
        }
        db.deleteFrom(METRIC_DAILY).where(METRIC_DAILY.ROLLUP_DAY.eq(day)).execute();
        db.batchInsert(rows).execute();
        int samples = writeSamples(now);
        forgetRecentFiguresAfterCommit();
        return new Written(day, rows.size(), samples);
    }

    private void forgetRecentFiguresAfterCommit() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    recent.clear();
                }
            });
        } else {
            recent.clear();
        }
    }

    /** The organisation, every team, every service (with its owning team). */
    private List<Scope> scopes() {
        List<Scope> scopes = new ArrayList<>();
        scopes.add(new Scope(ALL, ALL, null, null));
        for (TeamSummary team : catalog.teams()) {
            scopes.add(new Scope(team.name(), ALL, team.name(), null));
        }
        for (ServiceSummary service : catalog.services()) {
            scopes.add(new Scope(service.owningTeam() == null ? ALL : service.owningTeam(), service.name(), null,
                    service.name()));
        }
        return scopes;
    }

    /** A row's key columns and the filter the figure services are asked with. */
    private record Scope(String teamKey, String serviceKey, String team, String service) {
    }

    private List<MetricDailyRecord> figures(LocalDate day, String window, Duration span, Scope scope,
            OffsetDateTime computedAt) {
        List<MetricDailyRecord> rows = new ArrayList<>();
        CoverageFigures coverage = artifacts.coverage(span, scope.team(), scope.service());
        rows.add(ratio(day, MetricNames.SIGNED_COVERAGE, window, scope, coverage.signed(), computedAt));
        rows.add(ratio(day, MetricNames.SIGNED_UNVERIFIED, window, scope, coverage.signedUnverified(), computedAt));
        rows.add(ratio(day, MetricNames.SCANNED_COVERAGE, window, scope, coverage.scanned(), computedAt));
        rows.add(ratio(day, MetricNames.SBOM_COVERAGE, window, scope, coverage.sbom(), computedAt));
        rows.add(ratio(day, MetricNames.PROVENANCE_COVERAGE, window, scope, coverage.provenance(), computedAt));
        rows.add(ratio(day, MetricNames.OWNERSHIP_COVERAGE, window, scope,
                catalog.ownershipCoverage(scope.team(), scope.service()), computedAt));
        rows.add(ratio(day, MetricNames.DRILL_COVERAGE, window, scope,
                playbooks.drillCoverage(span, scope.team(), scope.service()), computedAt));
        rows.add(ratio(day, MetricNames.RUNBOOK_FRESHNESS, window, scope,
                playbooks.runbookFreshness(scope.team(), scope.service()), computedAt));
        SlaCompliance sla = findings.slaCompliance(window, scope.team(), scope.service(), null);
        rows.add(ratio(day, MetricNames.SLA_COMPLIANCE, window, scope, new Ratio(sla.numerator(), sla.denominator()),
                computedAt));
        long open = 0;
        long overdue = 0;
        for (OpenCount count : findings.openCounts(scope.team(), scope.service())) {
            if (count.severity() == Severity.CRITICAL) {
                open += count.open();
                overdue += count.overdue();
            }
        }
        // Overdue criticals: numerator = overdue, denominator = open criticals.
        rows.add(ratio(day, MetricNames.OVERDUE_CRITICALS, window, scope, new Ratio(overdue, open), computedAt));
        RemediationTime remediation = findings.timeToRemediate(window, scope.team(), scope.service(), null);
        MetricDailyRecord ttr = row(day, MetricNames.TIME_TO_REMEDIATE, window, scope, computedAt);
        ttr.setN(remediation.n());
        ttr.setExcluded(remediation.excluded());
        ttr.setMedianS(remediation.median());
        ttr.setP90S(remediation.p90());
        ttr.setMeanS(remediation.mean());
        rows.add(ttr);
        return rows;
    }

    private MetricDailyRecord ratio(LocalDate day, String metric, String window, Scope scope, Ratio ratio,
            OffsetDateTime computedAt) {
        MetricDailyRecord row = row(day, metric, window, scope, computedAt);
        row.setNumerator(ratio.numerator());
        row.setDenominator(ratio.denominator());
        return row;
    }

    private MetricDailyRecord row(LocalDate day, String metric, String window, Scope scope, OffsetDateTime computedAt) {
        MetricDailyRecord row = db.newRecord(METRIC_DAILY);
        row.setRollupDay(day);
        row.setMetric(metric);
        row.setTimeWindow(window);
        row.setTeam(scope.teamKey());
        row.setService(scope.serviceKey());
        row.setComputedAt(computedAt);
        return row;
    }

    /** Replaces the incident samples of [now − backfill, ∞) with those the incidents feature reports now. */
    private int writeSamples(Instant now) {
        Instant horizon = now.minus(settings.backfill());
        Map<String, String> owners = new HashMap<>();
        for (ServiceSummary service : catalog.services()) {
            owners.put(service.name(), service.owningTeam() == null ? ALL : service.owningTeam());
        }
        db.deleteFrom(METRIC_SAMPLE).where(METRIC_SAMPLE.OCCURRED_AT.ge(horizon.atOffset(ZoneOffset.UTC))).execute();
        List<org.jooq.Query> inserts = new ArrayList<>();
        for (IncidentOccurrence occurrence : incidents.occurrences(horizon, now)) {
            OffsetDateTime at = occurrence.occurredAt().atOffset(ZoneOffset.UTC);
            IncidentTimes times = occurrence.incident().times();
            List<String> services = occurrence.incident().services().isEmpty() ? List.of(ALL)
                    : occurrence.incident().services();
            for (String metric : MetricNames.INCIDENT_DURATIONS) {
                IncidentTimes.Measurement measurement = times.of(metric);
                Double seconds = measurement.measured() ? measurement.seconds() : null;
                for (String service : services) {
                    inserts.add(db.insertInto(METRIC_SAMPLE)
                            .set(METRIC_SAMPLE.METRIC, metric)
                            .set(METRIC_SAMPLE.SUBJECT_ID, occurrence.incident().id())
                            .set(METRIC_SAMPLE.SERVICE, service)
                            .set(METRIC_SAMPLE.TEAM, owners.getOrDefault(service, ALL))
                            .set(METRIC_SAMPLE.OCCURRED_AT, at)
                            .set(METRIC_SAMPLE.SAMPLE_DAY, at.toLocalDate())
                            .set(METRIC_SAMPLE.SECONDS, seconds));
                }
            }
        }
        if (!inserts.isEmpty()) {
            db.batch(inserts).execute();
        }
        return inserts.size();
    }
}

package dev.assay.metrics.internal;

import static dev.assay.metrics.internal.db.Tables.METRIC_DAILY;
import static dev.assay.metrics.internal.db.Tables.METRIC_ROLLUP_LOCK;
import static dev.assay.metrics.internal.db.Tables.METRIC_SAMPLE;
import static dev.assay.metrics.internal.db.Tables.METRIC_WEEK;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jooq.DSLContext;
import org.jooq.TableRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.assay.artifacts.ArtifactFigures;
import dev.assay.artifacts.CoverageFigures;
import dev.assay.catalog.Catalog;
import dev.assay.catalog.FigureScope;
import dev.assay.catalog.Ratio;
import dev.assay.catalog.ServiceSummary;
import dev.assay.catalog.TeamSummary;
import dev.assay.common.BoundBatchInsert;
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
import dev.assay.metrics.internal.db.tables.records.MetricSampleRecord;
import dev.assay.metrics.internal.db.tables.records.MetricWeekRecord;
import dev.assay.incidents.DurationFigure;
import dev.assay.incidents.DurationSummary;

/**
 * Writes the rollups of one run (the metricsRollupJob's step): every figure of every configured
 * window for the organisation, each team and each service, as the features' figure services compute
 * it now, under today's date (UTC); MTTD / MTTA / MTTR of every window and scope with their
 * interval and comparison ({@link IncidentDurationRollup}); the incident duration samples of the
 * backfill horizon; the 12-week duration trends; and, for the weeks of the ratio trends before today
 * that hold no row yet, the figures the features give "as of" the end of that week's day. Each
 * feature is asked for all scopes of a window at once, so a run's cost grows with the facts, not
 * with facts × scopes. Re-running on the same day replaces that day's rows, the horizon's samples
 * and the trends with the same values, and backfills nothing more, so the job is idempotent.
 */
@Component
public class RollupWriter {

    private static final Logger log = LoggerFactory.getLogger(RollupWriter.class);

    /** The key of "all" in the team and service columns. */
    public static final String ALL = "";
    /** The weeks of the stored incident duration trends (the dashboard's 12-week trend). */
    public static final int TREND_WEEKS = 12;
    private static final int BATCH = 5_000;
    /**
     * The metrics whose past trend weeks a run backfills from the facts' recorded times
     * (docs/metrics.md, "Backfill"). Ownership coverage and runbook freshness are not among them: the
     * catalog keeps no history of ownership, and a runbook only its latest review.
     */
    public static final List<String> BACKFILLED = List.of(MetricNames.SIGNED_COVERAGE, MetricNames.SIGNED_UNVERIFIED,
            MetricNames.SCANNED_COVERAGE, MetricNames.SBOM_COVERAGE, MetricNames.PROVENANCE_COVERAGE,
            MetricNames.DRILL_COVERAGE, MetricNames.SLA_COMPLIANCE, MetricNames.OVERDUE_CRITICALS,
            MetricNames.TIME_TO_REMEDIATE);
    /** The ratio and count metrics of a run's own day. */
    private static final Set<String> ALL_METRICS = Set.of(MetricNames.SIGNED_COVERAGE, MetricNames.SIGNED_UNVERIFIED,
            MetricNames.SCANNED_COVERAGE, MetricNames.SBOM_COVERAGE, MetricNames.PROVENANCE_COVERAGE,
            MetricNames.OWNERSHIP_COVERAGE, MetricNames.DRILL_COVERAGE, MetricNames.RUNBOOK_FRESHNESS,
            MetricNames.SLA_COMPLIANCE, MetricNames.OVERDUE_CRITICALS, MetricNames.TIME_TO_REMEDIATE);
    private static final Set<String> ARTIFACT_METRICS = Set.of(MetricNames.SIGNED_COVERAGE, MetricNames.SIGNED_UNVERIFIED,
            MetricNames.SCANNED_COVERAGE, MetricNames.SBOM_COVERAGE, MetricNames.PROVENANCE_COVERAGE);

    private final DSLContext db;
    private final Catalog catalog;
    private final ArtifactFigures artifacts;
    private final FindingFigures findings;
    private final PlaybookFigures playbooks;
    private final Incidents incidents;
    private final MetricsSettings settings;
    private final Clock clock;
    private final IncidentDurationRollup durations;

    RollupWriter(DSLContext db, Catalog catalog, ArtifactFigures artifacts, FindingFigures findings,
            PlaybookFigures playbooks, Incidents incidents, MetricsSettings settings, Clock clock,
            IncidentDurationRollup durations) {
        this.db = db;
        this.durations = durations;
        this.catalog = catalog;
        this.artifacts = artifacts;
        this.findings = findings;
        this.playbooks = playbooks;
        this.incidents = incidents;
        this.settings = settings;
        this.clock = clock;
    }

    /** What one run wrote: rows of today, rows of past weeks it backfilled, incident samples. */
    public record Written(LocalDate day, int dailyRows, int backfilledRows, int samples) {
    }

    /**
     * Writes the rollups of today, or nothing (empty) when another instance is writing them: this run
     * holds the {@code metric_rollup_lock} row until its transaction ends.
     */
    @Transactional
    public Optional<Written> write() {
        if (db.select(METRIC_ROLLUP_LOCK.NAME).from(METRIC_ROLLUP_LOCK).where(METRIC_ROLLUP_LOCK.NAME.eq("rollup"))
                .forUpdate().skipLocked().fetchOptional().isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        OffsetDateTime computedAt = now.atOffset(ZoneOffset.UTC);
        long started = System.nanoTime();
        PhaseTimes times = new PhaseTimes();
        List<Scope> scopes = scopes();
        List<FigureScope> filters = scopes.stream().map(Scope::filter).toList();
        Map<FigureScope, Ratio> ownership = times.time("ownership", () -> catalog.ownershipCoverageByScope(filters));
        Map<FigureScope, Ratio> runbooks = times.time("runbooks", () -> playbooks.runbookFreshnessByScope(filters));
        Map<FigureScope, List<OpenCount>> open = times.time("open findings", () -> findings.openCountsByScope(filters));
        // Rows are written a window at a time and in batches, so the run's memory does not grow with
        // scopes × windows × metrics (hundreds of thousands of rows at the benchmark's L size).
        times.time("writing", () -> db.deleteFrom(METRIC_DAILY).where(METRIC_DAILY.ROLLUP_DAY.eq(day)).execute());
        int rows = 0;
        for (String window : settings.windows()) {
            Duration span = Duration.parse(window);
            WindowFigures bulk = new WindowFigures(
                    times.time("artifact coverage", () -> artifacts.coverageByScope(span, filters)), ownership,
                    times.time("drills", () -> playbooks.drillCoverageByScope(span, filters)), runbooks,
                    times.time("sla", () -> findings.slaComplianceByScope(window, filters)), open,
                    times.time("remediation", () -> findings.timeToRemediateByScope(window, filters)));
            List<MetricDailyRecord> windowRows = new ArrayList<>();
            for (Scope scope : scopes) {
                windowRows.addAll(figures(day, window, scope, computedAt, bulk, ALL_METRICS));
            }
            rows += times.time("writing", () -> insertInBatches(windowRows));
        }
        Backfilled backfilled = times.time("backfill", () -> backfill(day, scopes, filters));
        List<IncidentDurationRollup.Sample> samples = times.time("incident samples", () -> samples(now));
        List<IncidentDurationRollup.Scope> durationScopes = scopes.stream()
                .map(s -> new IncidentDurationRollup.Scope(s.teamKey(), s.serviceKey())).toList();
        List<MetricDailyRecord> durationRows = times.time("incident durations", () -> durations.figures(now,
                MetricNames.INCIDENT_DURATIONS, settings.windows(), durationScopes, samples).stream()
                .map(figure -> duration(day, figure, computedAt)).toList());
        rows += times.time("writing", () -> insertInBatches(durationRows));
        List<IncidentDurationRollup.Week> weeks = times.time("incident trends",
                () -> durations.weeks(now, MetricNames.INCIDENT_DURATIONS, durationScopes, samples, TREND_WEEKS));
        times.time("writing", () -> {
            writeSamples(now, samples);
            db.deleteFrom(METRIC_WEEK).execute();
            return insertInBatches(weeks.stream().map(this::week).toList());
        });
        log.info("Rollup of {}: {} rows for {} scopes x {} windows, {} incident samples, {} rows backfilled for {} past "
                + "week(s), in {} s ({})", day, rows, scopes.size(), settings.windows().size(), samples.size(),
                backfilled.rows(), backfilled.weeks(), Math.round((System.nanoTime() - started) / 1e8) / 10.0, times);
        return Optional.of(new Written(day, rows, backfilled.rows(), samples.size()));
    }

    /** What the backfill of one run wrote: rows, and the past weeks they fill. */
    private record Backfilled(int rows, int weeks) {
    }

    /**
     * Fills the dashboard's ratio trends back to the first week: for each weekly point before today
     * (today − 7k days, k = 1 … {@value #TREND_WEEKS} − 1) and each backfilled metric and window of
     * which no row is stored in that point's week (the days the trend reads for it), the figures as of
     * the end of that day (23:59:59.999999 UTC) from the features' "as of" figures, written as rows of
     * that day, for every scope. A week with a stored row of a metric and window (a real run, or an
     * earlier backfill) is never touched, so a second run writes nothing for the past.
     */
    private Backfilled backfill(LocalDate today, List<Scope> scopes, List<FigureScope> filters) {
        Map<LocalDate, Set<String>> stored = new HashMap<>();
        db.selectDistinct(METRIC_DAILY.ROLLUP_DAY, METRIC_DAILY.METRIC, METRIC_DAILY.TIME_WINDOW).from(METRIC_DAILY)
                .where(METRIC_DAILY.ROLLUP_DAY.gt(today.minusDays(7L * TREND_WEEKS))).and(METRIC_DAILY.ROLLUP_DAY.lt(today))
                .and(METRIC_DAILY.METRIC.in(BACKFILLED))
                .forEach(r -> stored.computeIfAbsent(r.value1(), d -> new HashSet<>()).add(r.value2() + " " + r.value3()));
        int rows = 0;
        int weeks = 0;
        for (int k = 1; k < TREND_WEEKS; k++) {
            LocalDate point = today.minusDays(7L * k);
            Set<String> present = new HashSet<>();
            for (LocalDate d = point; d.isAfter(point.minusDays(7)); d = d.minusDays(1)) {
                present.addAll(stored.getOrDefault(d, Set.of()));
            }
            Map<String, Set<String>> missing = new LinkedHashMap<>();
            for (String window : settings.windows()) {
                Set<String> metrics = new HashSet<>();
                BACKFILLED.stream().filter(m -> !present.contains(m + " " + window)).forEach(metrics::add);
                if (!metrics.isEmpty()) {
                    missing.put(window, metrics);
                }
            }
            if (missing.isEmpty()) {
                continue;
            }
            weeks++;
            Instant asOf = point.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusNanos(1_000);
            OffsetDateTime computedAt = asOf.atOffset(ZoneOffset.UTC);
            Map<FigureScope, List<OpenCount>> open = missing.values().stream()
                    .anyMatch(m -> m.contains(MetricNames.OVERDUE_CRITICALS)) ? findings.openCountsByScope(filters, asOf) : null;
            for (Map.Entry<String, Set<String>> entry : missing.entrySet()) {
                String window = entry.getKey();
                Set<String> wanted = entry.getValue();
                Duration span = Duration.parse(window);
                WindowFigures bulk = new WindowFigures(
                        wanted.stream().anyMatch(ARTIFACT_METRICS::contains) ? artifacts.coverageByScope(span, filters, asOf) : null,
                        null,
                        wanted.contains(MetricNames.DRILL_COVERAGE) ? playbooks.drillCoverageByScope(span, filters, asOf) : null,
                        null,
                        wanted.contains(MetricNames.SLA_COMPLIANCE) ? findings.slaComplianceByScope(window, filters, asOf) : null,
                        open,
                        wanted.contains(MetricNames.TIME_TO_REMEDIATE) ? findings.timeToRemediateByScope(window, filters, asOf) : null);
                List<MetricDailyRecord> windowRows = new ArrayList<>();
                for (Scope scope : scopes) {
                    windowRows.addAll(figures(point, window, scope, computedAt, bulk, wanted));
                }
                rows += insertInBatches(windowRows);
            }
        }
        return new Backfilled(rows, weeks);
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

        FigureScope filter() {
            return new FigureScope(team, service);
        }
    }

    /** The figures of one window that the features answer for all scopes at once, by scope. */
    private record WindowFigures(Map<FigureScope, CoverageFigures> coverage, Map<FigureScope, Ratio> ownership,
            Map<FigureScope, Ratio> drills, Map<FigureScope, Ratio> runbooks, Map<FigureScope, SlaCompliance> sla,
            Map<FigureScope, List<OpenCount>> open, Map<FigureScope, RemediationTime> remediation) {
    }

    /** The rows of the {@code wanted} metrics of one scope and window (the figures they need are in {@code bulk}). */
    private List<MetricDailyRecord> figures(LocalDate day, String window, Scope scope, OffsetDateTime computedAt,
            WindowFigures bulk, Set<String> wanted) {
        List<MetricDailyRecord> rows = new ArrayList<>();
        FigureScope filter = scope.filter();
        if (wanted.stream().anyMatch(ARTIFACT_METRICS::contains)) {
            CoverageFigures coverage = bulk.coverage().get(filter);
            addRatio(rows, wanted, day, MetricNames.SIGNED_COVERAGE, window, scope, coverage.signed(), computedAt);
            addRatio(rows, wanted, day, MetricNames.SIGNED_UNVERIFIED, window, scope, coverage.signedUnverified(), computedAt);
            addRatio(rows, wanted, day, MetricNames.SCANNED_COVERAGE, window, scope, coverage.scanned(), computedAt);
            addRatio(rows, wanted, day, MetricNames.SBOM_COVERAGE, window, scope, coverage.sbom(), computedAt);
            addRatio(rows, wanted, day, MetricNames.PROVENANCE_COVERAGE, window, scope, coverage.provenance(), computedAt);
        }
        if (wanted.contains(MetricNames.OWNERSHIP_COVERAGE)) {
            rows.add(ratio(day, MetricNames.OWNERSHIP_COVERAGE, window, scope, bulk.ownership().get(filter), computedAt));
        }
        if (wanted.contains(MetricNames.DRILL_COVERAGE)) {
            rows.add(ratio(day, MetricNames.DRILL_COVERAGE, window, scope, bulk.drills().get(filter), computedAt));
        }
        if (wanted.contains(MetricNames.RUNBOOK_FRESHNESS)) {
            rows.add(ratio(day, MetricNames.RUNBOOK_FRESHNESS, window, scope, bulk.runbooks().get(filter), computedAt));
        }
        if (wanted.contains(MetricNames.SLA_COMPLIANCE)) {
            SlaCompliance sla = bulk.sla().get(filter);
            rows.add(ratio(day, MetricNames.SLA_COMPLIANCE, window, scope, new Ratio(sla.numerator(), sla.denominator()),
                    computedAt));
        }
        if (wanted.contains(MetricNames.OVERDUE_CRITICALS)) {
            long open = 0;
            long overdue = 0;
            for (OpenCount count : bulk.open().get(filter)) {
                if (count.severity() == Severity.CRITICAL) {
                    open += count.open();
                    overdue += count.overdue();
                }
            }
            // Overdue criticals: numerator = overdue, denominator = open criticals.
            rows.add(ratio(day, MetricNames.OVERDUE_CRITICALS, window, scope, new Ratio(overdue, open), computedAt));
        }
        if (wanted.contains(MetricNames.TIME_TO_REMEDIATE)) {
            RemediationTime remediation = bulk.remediation().get(filter);
            MetricDailyRecord ttr = row(day, MetricNames.TIME_TO_REMEDIATE, window, scope, computedAt);
            ttr.setN(remediation.n());
            ttr.setExcluded(remediation.excluded());
            ttr.setMedianS(remediation.median());
            ttr.setP90S(remediation.p90());
            ttr.setMeanS(remediation.mean());
            rows.add(ttr);
        }
        return rows;
    }

    private void addRatio(List<MetricDailyRecord> rows, Set<String> wanted, LocalDate day, String metric, String window,
            Scope scope, Ratio ratio, OffsetDateTime computedAt) {
        if (wanted.contains(metric)) {
            rows.add(ratio(day, metric, window, scope, ratio, computedAt));
        }
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

    /** The incident samples of [now − backfill, now) as the incidents feature reports them now. */
    private List<IncidentDurationRollup.Sample> samples(Instant now) {
        Map<String, String> owners = new HashMap<>();
        for (ServiceSummary service : catalog.services()) {
            owners.put(service.name(), service.owningTeam() == null ? ALL : service.owningTeam());
        }
        List<IncidentDurationRollup.Sample> samples = new ArrayList<>();
        for (IncidentOccurrence occurrence : incidents.occurrences(now.minus(settings.backfill()), now)) {
            IncidentTimes times = occurrence.incident().times();
            List<String> services = occurrence.incident().services().isEmpty() ? List.of(ALL)
                    : occurrence.incident().services();
            for (String metric : MetricNames.INCIDENT_DURATIONS) {
                IncidentTimes.Measurement measurement = times.of(metric);
                Double seconds = measurement.measured() ? measurement.seconds() : null;
                for (String service : services) {
                    samples.add(new IncidentDurationRollup.Sample(metric, occurrence.incident().id(), service,
                            owners.getOrDefault(service, ALL), occurrence.occurredAt(), seconds));
                }
            }
        }
        return samples;
    }

    /** Replaces the stored samples of [now − backfill, ∞) with {@code samples}. */
    private void writeSamples(Instant now, List<IncidentDurationRollup.Sample> samples) {
        Instant horizon = now.minus(settings.backfill());
        db.deleteFrom(METRIC_SAMPLE).where(METRIC_SAMPLE.OCCURRED_AT.ge(horizon.atOffset(ZoneOffset.UTC))).execute();
        for (int from = 0; from < samples.size(); from += BATCH) {
            List<MetricSampleRecord> records = new ArrayList<>(BATCH);
            for (IncidentDurationRollup.Sample sample : samples.subList(from, Math.min(samples.size(), from + BATCH))) {
                OffsetDateTime at = sample.occurredAt().atOffset(ZoneOffset.UTC);
                MetricSampleRecord record = db.newRecord(METRIC_SAMPLE);
                record.setMetric(sample.metric());
                record.setSubjectId(sample.incident());
                record.setService(sample.service());
                record.setTeam(sample.team());
                record.setOccurredAt(at);
                record.setSampleDay(at.toLocalDate());
                record.setSeconds(sample.seconds());
                records.add(record);
            }
            BoundBatchInsert.insert(db, records);
        }
    }

    /** Inserts the records in batches of {@value #BATCH}; answers how many. */
    private int insertInBatches(List<? extends TableRecord<?>> records) {
        for (int from = 0; from < records.size(); from += BATCH) {
            BoundBatchInsert.insert(db, records.subList(from, Math.min(records.size(), from + BATCH)));
        }
        return records.size();
    }

    private MetricDailyRecord duration(LocalDate day, IncidentDurationRollup.Figure figure, OffsetDateTime computedAt) {
        MetricDailyRecord row = row(day, figure.metric(), figure.window(),
                new Scope(figure.scope().team(), figure.scope().service(), null, null), computedAt);
        DurationSummary summary = figure.summary();
        row.setN(summary.n());
        row.setExcluded(figure.excluded());
        row.setMedianS(summary.medianSeconds());
        row.setP90S(summary.p90Seconds());
        row.setMeanS(summary.meanSeconds());
        row.setCi90LowS(summary.ci90LowSeconds());
        row.setCi90HighS(summary.ci90HighSeconds());
        row.setTooFew(summary.tooFew());
        DurationFigure.Comparison comparison = figure.comparison();
        row.setPreviousN(comparison.previousN());
        row.setPreviousMedianS(comparison.previousMedianSeconds());
        row.setDifferenceS(comparison.differenceSeconds());
        row.setPValue(comparison.pValue());
        row.setDetectable(comparison.detectable());
        row.setComparisonLabel(comparison.label());
        return row;
    }

    private MetricWeekRecord week(IncidentDurationRollup.Week week) {
        MetricWeekRecord record = db.newRecord(METRIC_WEEK);
        record.setMetric(week.metric());
        record.setTeam(week.team());
        record.setWeekEnd(week.weekEnd());
        record.setN(week.n());
        record.setMedianS(week.medianSeconds());
        return record;
    }
}

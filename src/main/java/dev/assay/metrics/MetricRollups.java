package dev.assay.metrics;

import static dev.assay.metrics.internal.db.Tables.METRIC_DAILY;
import static dev.assay.metrics.internal.db.Tables.METRIC_SAMPLE;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.assay.incidents.DurationFigure;
import dev.assay.incidents.DurationSummary;
import dev.assay.incidents.IncidentFigures;
import dev.assay.metrics.internal.RecentFigures;
import dev.assay.metrics.internal.RollupWriter;
import dev.assay.metrics.internal.db.tables.records.MetricDailyRecord;

/**
 * Reads the figures from the rollup tables (never the facts): what the dashboard, the executive
 * report and the Prometheus gauges show. A filter names a team, a service, both or neither (the
 * organisation); blank means none.
 * <ul>
 * <li>Ratios and time to remediate: the row the rollup job stored on its latest day for that window
 * and scope; equal to {@code /api/v1/metrics} at the time of the run.</li>
 * <li>MTTD / MTTA / MTTR: recombined from the per-incident samples of [now − window, now), with the
 * incidents feature's own statistics, so they equal {@code /api/v1/metrics} for any window inside the
 * backfill horizon.</li>
 * </ul>
 */
@Service
@Transactional(readOnly = true)
public class MetricRollups {

    private final DSLContext db;
    private final IncidentFigures incidents;
    private final Clock clock;
    private final RecentFigures recent;

    MetricRollups(DSLContext db, IncidentFigures incidents, Clock clock, RecentFigures recent) {
        this.db = db;
        this.recent = recent;
        this.incidents = incidents;
        this.clock = clock;
    }

    /** The day of the newest rollup run, empty before the first. */
    public Optional<LocalDate> latestDay() {
        return Optional.ofNullable(db.select(DSL.max(METRIC_DAILY.ROLLUP_DAY)).from(METRIC_DAILY).fetchOne(0, LocalDate.class));
    }

    /** When the newest rollup was computed, empty before the first. */
    public Optional<Instant> computedAt() {
        return Optional.ofNullable(db.select(DSL.max(METRIC_DAILY.COMPUTED_AT)).from(METRIC_DAILY)
                .fetchOne(0, java.time.OffsetDateTime.class)).map(java.time.OffsetDateTime::toInstant);
    }

    /** The ratio of the newest day. */
    public Optional<RolledRatio> ratio(String metric, String window, String team, String service) {
        return latestDay().flatMap(day -> ratioOnOrBefore(metric, window, team, service, day));
    }

    /** The ratio of the newest day on or before {@code day}. */
    public Optional<RolledRatio> ratioOnOrBefore(String metric, String window, String team, String service, LocalDate day) {
        MetricDailyRecord row = db.selectFrom(METRIC_DAILY)
                .where(scope(metric, window, team, service)).and(METRIC_DAILY.ROLLUP_DAY.le(day))
                .orderBy(METRIC_DAILY.ROLLUP_DAY.desc()).limit(1).fetchOne();
        return Optional.ofNullable(row).map(MetricRollups::ratio);
    }

    /** Time to remediate of the newest day (stored statistics; no samples, no comparison). */
    public Optional<RolledDuration> remediation(String window, String team, String service) {
        Optional<LocalDate> day = latestDay();
        if (day.isEmpty()) {
            return Optional.empty();
        }
        MetricDailyRecord row = db.selectFrom(METRIC_DAILY)
                .where(scope(MetricNames.TIME_TO_REMEDIATE, window, team, service)).and(METRIC_DAILY.ROLLUP_DAY.eq(day.get()))
                .fetchOne();
        return Optional.ofNullable(row).map(r -> new RolledDuration(MetricNames.TIME_TO_REMEDIATE, window,
                r.getComputedAt().toInstant().minus(Duration.parse(window)), r.getComputedAt().toInstant(), r.getN(),
                r.getExcluded(), r.getMedianS(), r.getP90S(), r.getMeanS(), null, null, false, List.of(), null));
    }

    /**
     * MTTD, MTTA or MTTR of the window ending now, with the previous period's comparison. The result is
     * reused for up to a minute while no new rollup has run ({@link RecentFigures}): the bootstrap
     * interval and the permutation test are too costly to repeat on every render.
     */
    public RolledDuration incidentDuration(String metric, String window, String team, String service) {
        requireIncidentDuration(metric);
        Instant generation = computedAt().orElse(Instant.EPOCH);
        return recent.get(String.join("\u0000", metric, window, String.valueOf(team), String.valueOf(service)), generation,
                () -> computeIncidentDuration(metric, window, team, service));
    }

    private RolledDuration computeIncidentDuration(String metric, String window, String team, String service) {
        Duration span = MetricsApiController.parseWindow(window);
        Instant to = clock.instant();
        Instant from = to.minus(span);
        Samples current = samples(metric, from, to, team, service);
        Samples previous = samples(metric, from.minus(span), from, team, service);
        DurationSummary summary = incidents.summarize(current.values());
        DurationFigure.Comparison comparison = incidents.compare(metric, from.minus(span), from, current.values(),
                previous.values());
        List<Double> sorted = java.util.Arrays.stream(current.values()).sorted().boxed().toList();
        return new RolledDuration(metric, window, from, to, summary.n(), current.excluded(), summary.medianSeconds(),
                summary.p90Seconds(), summary.meanSeconds(), summary.ci90LowSeconds(), summary.ci90HighSeconds(),
                summary.tooFew(), sorted, comparison);
    }

    /** One point of a trend: the figure of the week ending {@code end} (exclusive), null when none is stored. */
    public record TrendPoint(LocalDate end, Double value) {
    }

    /**
     * The last {@code weeks} weeks, oldest first. Ratios: the figure of the window as stored on the
     * newest day of each week (overdue criticals: the count). Incident durations: the median of the incidents of each week.
     */
    public List<TrendPoint> trend(String metric, String window, String team, String service, int weeks) {
        Instant now = clock.instant();
        List<TrendPoint> points = new ArrayList<>();
        if (MetricNames.INCIDENT_DURATIONS.contains(metric)) {
            for (int k = weeks; k >= 1; k--) {
                Instant from = now.minus(Duration.ofDays(7L * k));
                Instant to = from.plus(Duration.ofDays(7));
                DurationSummary week = incidents.summarize(samples(metric, from, to, team, service).values());
                points.add(new TrendPoint(LocalDate.ofInstant(to, ZoneOffset.UTC), week.medianSeconds()));
            }
            return points;
        }
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Map<LocalDate, MetricDailyRecord> byDay = new HashMap<>();
        db.selectFrom(METRIC_DAILY).where(scope(metric, window, team, service))
                .and(METRIC_DAILY.ROLLUP_DAY.gt(today.minusDays(7L * weeks))).fetch().forEach(r -> byDay.put(r.getRollupDay(), r));
        for (int k = weeks - 1; k >= 0; k--) {
            LocalDate end = today.minusDays(7L * k);
            Double value = null;
            for (LocalDate day = end; day.isAfter(end.minusDays(7)); day = day.minusDays(1)) {
                MetricDailyRecord row = byDay.get(day);
                if (row != null) {
                    value = switch (metric) {
                        case MetricNames.TIME_TO_REMEDIATE -> row.getMedianS();
                        case MetricNames.OVERDUE_CRITICALS -> (double) ratio(row).numerator();
                        default -> ratio(row).ratio();
                    };
                    break;
                }
            }
            points.add(new TrendPoint(end, value));
        }
        return points;
    }

    /** The ratio of every team (team rows of the newest day), by team name. */
    public Map<String, RolledRatio> ratiosByTeam(String metric, String window) {
        Map<String, RolledRatio> byTeam = new TreeMap<>();
        latestDay().ifPresent(day -> db.selectFrom(METRIC_DAILY)
                .where(METRIC_DAILY.METRIC.eq(metric)).and(METRIC_DAILY.TIME_WINDOW.eq(window))
                .and(METRIC_DAILY.ROLLUP_DAY.eq(day)).and(METRIC_DAILY.TEAM.ne(RollupWriter.ALL))
                .and(METRIC_DAILY.SERVICE.eq(RollupWriter.ALL))
                .fetch().forEach(r -> byTeam.put(r.getTeam(), ratio(r))));
        return byTeam;
    }

    /** The ratio of every service (service rows of the newest day), by service name; one query. */
    public Map<String, RolledRatio> ratiosByService(String metric, String window) {
        Map<String, RolledRatio> byService = new TreeMap<>();
        latestDay().ifPresent(day -> db.selectFrom(METRIC_DAILY)
                .where(METRIC_DAILY.METRIC.eq(metric)).and(METRIC_DAILY.TIME_WINDOW.eq(window))
                .and(METRIC_DAILY.ROLLUP_DAY.eq(day)).and(METRIC_DAILY.SERVICE.ne(RollupWriter.ALL))
                .fetch().forEach(r -> byService.put(r.getService(), ratio(r))));
        return byService;
    }

    /** The median of an incident duration per service over the window ending now (services with samples); one query. */
    public Map<String, Double> incidentMediansByService(String metric, String window) {
        requireIncidentDuration(metric);
        Instant to = clock.instant();
        Instant from = to.minus(MetricsApiController.parseWindow(window));
        Map<String, List<Double>> byService = new TreeMap<>();
        db.select(METRIC_SAMPLE.SERVICE, METRIC_SAMPLE.SECONDS).from(METRIC_SAMPLE)
                .where(window(metric, from, to)).and(METRIC_SAMPLE.SERVICE.ne(RollupWriter.ALL))
                .and(METRIC_SAMPLE.SECONDS.isNotNull())
                .fetch().forEach(r -> byService.computeIfAbsent(r.value1(), k -> new ArrayList<>()).add(r.value2()));
        Map<String, Double> medians = new TreeMap<>();
        byService.forEach((service, values) -> medians.put(service,
                incidents.summarize(values.stream().mapToDouble(Double::doubleValue).toArray()).medianSeconds()));
        return medians;
    }

    /** The median of an incident duration per team over the window ending now (teams with samples). */
    public Map<String, RolledDuration> incidentDurationsByTeam(String metric, String window) {
        requireIncidentDuration(metric);
        Instant to = clock.instant();
        Instant from = to.minus(MetricsApiController.parseWindow(window));
        Map<String, Map<Long, Double>> byTeam = new TreeMap<>();
        Map<String, Integer> excluded = new HashMap<>();
        db.selectDistinct(METRIC_SAMPLE.TEAM, METRIC_SAMPLE.SUBJECT_ID, METRIC_SAMPLE.SECONDS).from(METRIC_SAMPLE)
                .where(window(metric, from, to)).and(METRIC_SAMPLE.TEAM.ne(RollupWriter.ALL))
                .fetch().forEach(r -> {
                    if (r.value3() == null) {
                        excluded.merge(r.value1(), 1, Integer::sum);
                    } else {
                        byTeam.computeIfAbsent(r.value1(), k -> new LinkedHashMap<>()).put(r.value2(), r.value3());
                    }
                });
        Map<String, RolledDuration> figures = new TreeMap<>();
        byTeam.forEach((team, samples) -> {
            double[] values = samples.values().stream().mapToDouble(Double::doubleValue).toArray();
            DurationSummary s = incidents.summarize(values);
            figures.put(team, new RolledDuration(metric, window, from, to, s.n(), excluded.getOrDefault(team, 0),
                    s.medianSeconds(), s.p90Seconds(), s.meanSeconds(), s.ci90LowSeconds(), s.ci90HighSeconds(), s.tooFew(),
                    List.of(), null));
        });
        return figures;
    }

    private record Samples(double[] values, int excluded) {
    }

    /** The distinct incidents of [from, to) in the filter: measured seconds and the excluded count. */
    private Samples samples(String metric, Instant from, Instant to, String team, String service) {
        Condition where = window(metric, from, to);
        if (present(team)) {
            where = where.and(METRIC_SAMPLE.TEAM.eq(team.strip()));
        }
        if (present(service)) {
            where = where.and(METRIC_SAMPLE.SERVICE.eq(service.strip()));
        }
        Map<Long, Double> measured = new LinkedHashMap<>();
        int excluded = 0;
        for (var r : db.selectDistinct(METRIC_SAMPLE.SUBJECT_ID, METRIC_SAMPLE.SECONDS).from(METRIC_SAMPLE).where(where)
                .orderBy(METRIC_SAMPLE.SUBJECT_ID).fetch()) {
            if (r.value2() == null) {
                excluded++;
            } else {
                measured.put(r.value1(), r.value2());
            }
        }
        return new Samples(measured.values().stream().mapToDouble(Double::doubleValue).toArray(), excluded);
    }

    private static Condition window(String metric, Instant from, Instant to) {
        return METRIC_SAMPLE.METRIC.eq(metric).and(METRIC_SAMPLE.OCCURRED_AT.ge(from.atOffset(ZoneOffset.UTC)))
                .and(METRIC_SAMPLE.OCCURRED_AT.lt(to.atOffset(ZoneOffset.UTC)));
    }

    /** The row key of a filter: a service row (and its team when named), a team row, or the organisation. */
    private static Condition scope(String metric, String window, String team, String service) {
        Condition where = METRIC_DAILY.METRIC.eq(metric).and(METRIC_DAILY.TIME_WINDOW.eq(window));
        if (present(service)) {
            where = where.and(METRIC_DAILY.SERVICE.eq(service.strip()));
            return present(team) ? where.and(METRIC_DAILY.TEAM.eq(team.strip())) : where;
        }
        return where.and(METRIC_DAILY.SERVICE.eq(RollupWriter.ALL))
                .and(METRIC_DAILY.TEAM.eq(present(team) ? team.strip() : RollupWriter.ALL));
    }

    private static RolledRatio ratio(MetricDailyRecord row) {
        return new RolledRatio(row.getMetric(), row.getTimeWindow(), row.getRollupDay(),
                row.getNumerator() == null ? 0 : row.getNumerator(), row.getDenominator() == null ? 0 : row.getDenominator());
    }

    private static void requireIncidentDuration(String metric) {
        if (!MetricNames.INCIDENT_DURATIONS.contains(metric)) {
            throw new IllegalArgumentException("'" + metric + "' is not an incident duration; known: "
                    + MetricNames.INCIDENT_DURATIONS);
        }
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}

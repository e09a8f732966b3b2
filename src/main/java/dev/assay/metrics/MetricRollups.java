package dev.assay.metrics;

import static dev.assay.metrics.internal.db.Tables.METRIC_DAILY;
import static dev.assay.metrics.internal.db.Tables.METRIC_SAMPLE;
import static dev.assay.metrics.internal.db.Tables.METRIC_WEEK;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
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
import dev.assay.metrics.internal.RollupWriter;
import dev.assay.metrics.internal.db.tables.records.MetricDailyRecord;

/**
 * Reads the figures from the rollup tables (never the facts): what the dashboard, the executive
 * report and the Prometheus gauges show. A filter names a team, a service, both or neither (the
 * organisation); blank means none.
 * <ul>
 * <li>Ratios and time to remediate: the row the rollup job stored on its latest day for that window
 * and scope; equal to {@code /api/v1/metrics} at the time of the run.</li>
 * <li>MTTD / MTTA / MTTR: the row the rollup job computed from the per-incident samples of
 * [run − window, run) with the incidents feature's own statistics (bootstrap interval and comparison
 * included), so they equal {@code /api/v1/metrics} at the time of the run. Their 12-week trend is
 * stored too for the organisation and the teams; a service's is recombined from its samples.</li>
 * </ul>
 * No request recomputes a figure over the whole organisation: the costly statistics run once per
 * rollup, not once per page view.
 */
@Service
@Transactional(readOnly = true)
public class MetricRollups {

    private final DSLContext db;
    private final IncidentFigures incidents;
    private final Clock clock;

    MetricRollups(DSLContext db, IncidentFigures incidents, Clock clock) {
        this.db = db;
        this.incidents = incidents;
        this.clock = clock;
    }

    /** The day of the newest rollup run, empty before the first. */
    public Optional<LocalDate> latestDay() {
        return Optional.ofNullable(db.select(DSL.max(METRIC_DAILY.ROLLUP_DAY)).from(METRIC_DAILY).fetchOne(0, LocalDate.class));
    }

    /**
     * When the newest rollup was computed, empty before the first. A run replaces every row of its
     * day, so any row of the newest day tells (one primary-key lookup; the maximum over the table read
     * all of it — 1.8 million rows at the benchmark's L size — on every dashboard render).
     */
    public Optional<Instant> computedAt() {
        return latestDay().map(day -> db.select(METRIC_DAILY.COMPUTED_AT).from(METRIC_DAILY)
                .where(METRIC_DAILY.ROLLUP_DAY.eq(day)).limit(1).fetchOne(METRIC_DAILY.COMPUTED_AT))
                .map(java.time.OffsetDateTime::toInstant);
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
                r.getExcluded(), r.getMedianS(), r.getP90S(), r.getMeanS(), null, null, false, null));
    }

    /**
     * MTTD, MTTA or MTTR of the window ending at the newest rollup run, with the previous period's
     * comparison, as the rollup job stored them (n = 0 and no comparison before the first run, or for
     * a scope the catalog did not have then).
     */
    public RolledDuration incidentDuration(String metric, String window, String team, String service) {
        requireIncidentDuration(metric);
        Optional<LocalDate> day = latestDay();
        MetricDailyRecord row = day.map(d -> db.selectFrom(METRIC_DAILY).where(scope(metric, window, team, service))
                .and(METRIC_DAILY.ROLLUP_DAY.eq(d)).fetchOne()).orElse(null);
        if (row == null) {
            Instant to = clock.instant();
            return new RolledDuration(metric, window, to.minus(MetricsApiController.parseWindow(window)), to, 0, 0, null,
                    null, null, null, null, true, null);
        }
        return duration(row);
    }

    private static RolledDuration duration(MetricDailyRecord row) {
        Instant to = row.getComputedAt().toInstant();
        Duration span = Duration.parse(row.getTimeWindow());
        Instant from = to.minus(span);
        DurationFigure.Comparison comparison = row.getComparisonLabel() == null ? null
                : new DurationFigure.Comparison(from.minus(span), from, row.getPreviousN() == null ? 0 : row.getPreviousN(),
                        row.getPreviousMedianS(), row.getDifferenceS(), row.getPValue(), Boolean.TRUE.equals(row.getDetectable()),
                        row.getComparisonLabel());
        return new RolledDuration(row.getMetric(), row.getTimeWindow(), from, to, row.getN() == null ? 0 : row.getN(),
                row.getExcluded() == null ? 0 : row.getExcluded(), row.getMedianS(), row.getP90S(), row.getMeanS(),
                row.getCi90LowS(), row.getCi90HighS(), !Boolean.FALSE.equals(row.getTooFew()), comparison);
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
            return present(service) ? serviceTrend(metric, team, service, weeks, now) : storedTrend(metric, team, weeks);
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
        return ratiosByTeam(List.of(metric), window).get(metric);
    }

    /**
     * The ratios of several metrics for every team (team rows of the newest day), by metric then
     * team name: a query per metric of only the columns a ratio needs, each an index range of the
     * team rows (V67), so it reads as many rows as there are teams (the dashboard's league table).
     */
    public Map<String, Map<String, RolledRatio>> ratiosByTeam(Collection<String> metrics, String window) {
        Map<String, Map<String, RolledRatio>> byMetric = new HashMap<>();
        Optional<LocalDate> latest = latestDay();
        for (String metric : metrics) {
            Map<String, RolledRatio> byTeam = new TreeMap<>();
            latest.ifPresent(day -> db.select(METRIC_DAILY.TEAM, METRIC_DAILY.NUMERATOR, METRIC_DAILY.DENOMINATOR)
                    .from(METRIC_DAILY).where(teamRows(metric, window, day))
                    .forEach(r -> byTeam.put(r.value1(), new RolledRatio(metric, window, day,
                            r.value2() == null ? 0 : r.value2(), r.value3() == null ? 0 : r.value3()))));
            byMetric.put(metric, byTeam);
        }
        return byMetric;
    }

    /**
     * The median of an incident duration for every team (team rows of the newest day), by team name;
     * null where no incident was measured. One query of two columns (the league table's MTTR).
     */
    public Map<String, Double> medianSecondsByTeam(String metric, String window) {
        requireIncidentDuration(metric);
        Map<String, Double> byTeam = new HashMap<>();
        latestDay().ifPresent(day -> db.select(METRIC_DAILY.TEAM, METRIC_DAILY.MEDIAN_S).from(METRIC_DAILY)
                .where(teamRows(metric, window, day)).forEach(r -> byTeam.put(r.value1(), r.value2())));
        return byTeam;
    }

    /** The team rows (not the organisation's, not a service's) of a metric, window and day. */
    private static Condition teamRows(String metric, String window, LocalDate day) {
        return METRIC_DAILY.ROLLUP_DAY.eq(day).and(METRIC_DAILY.METRIC.eq(metric)).and(METRIC_DAILY.TIME_WINDOW.eq(window))
                .and(METRIC_DAILY.SERVICE.eq(RollupWriter.ALL)).and(METRIC_DAILY.TEAM.ne(RollupWriter.ALL));
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

    /** An incident duration of every service (service rows of the newest day), by service name; one query. */
    public Map<String, RolledDuration> incidentDurationsByService(String metric, String window) {
        requireIncidentDuration(metric);
        Map<String, RolledDuration> byService = new TreeMap<>();
        latestDay().ifPresent(day -> db.selectFrom(METRIC_DAILY)
                .where(METRIC_DAILY.METRIC.eq(metric)).and(METRIC_DAILY.TIME_WINDOW.eq(window))
                .and(METRIC_DAILY.ROLLUP_DAY.eq(day)).and(METRIC_DAILY.SERVICE.ne(RollupWriter.ALL))
                .fetch().forEach(r -> byService.put(r.getService(), duration(r))));
        return byService;
    }

    /** An incident duration of every team (team rows of the newest day), by team name; one query. */
    public Map<String, RolledDuration> incidentDurationsByTeam(String metric, String window) {
        requireIncidentDuration(metric);
        Map<String, RolledDuration> byTeam = new TreeMap<>();
        latestDay().ifPresent(day -> db.selectFrom(METRIC_DAILY).where(teamRows(metric, window, day))
                .fetch().forEach(r -> byTeam.put(r.getTeam(), duration(r))));
        return byTeam;
    }

    /** The organisation's or a team's weekly medians as the newest rollup run stored them, oldest first. */
    private List<TrendPoint> storedTrend(String metric, String team, int weeks) {
        List<TrendPoint> stored = db.select(METRIC_WEEK.WEEK_END, METRIC_WEEK.MEDIAN_S).from(METRIC_WEEK)
                .where(METRIC_WEEK.METRIC.eq(metric)).and(METRIC_WEEK.TEAM.eq(present(team) ? team.strip() : RollupWriter.ALL))
                .orderBy(METRIC_WEEK.WEEK_END).fetch(r -> new TrendPoint(r.value1(), r.value2()));
        return stored.subList(Math.max(0, stored.size() - weeks), stored.size());
    }

    /** A service's weekly medians, recombined from its samples (a service has few incidents): one query. */
    private List<TrendPoint> serviceTrend(String metric, String team, String service, int weeks, Instant now) {
        Instant start = now.minus(Duration.ofDays(7L * weeks));
        List<Map.Entry<Instant, Double>> samples = new ArrayList<>();
        Condition where = window(metric, start, now).and(METRIC_SAMPLE.SERVICE.eq(service.strip()))
                .and(METRIC_SAMPLE.SECONDS.isNotNull());
        if (present(team)) {
            where = where.and(METRIC_SAMPLE.TEAM.eq(team.strip()));
        }
        db.select(METRIC_SAMPLE.OCCURRED_AT, METRIC_SAMPLE.SECONDS).from(METRIC_SAMPLE).where(where)
                .fetch().forEach(r -> samples.add(Map.entry(r.value1().toInstant(), r.value2())));
        List<TrendPoint> points = new ArrayList<>();
        for (int k = weeks; k >= 1; k--) {
            Instant from = now.minus(Duration.ofDays(7L * k));
            Instant to = from.plus(Duration.ofDays(7));
            double[] values = samples.stream().filter(e -> !e.getKey().isBefore(from) && e.getKey().isBefore(to))
                    .mapToDouble(Map.Entry::getValue).toArray();
            points.add(new TrendPoint(LocalDate.ofInstant(to, ZoneOffset.UTC), values.length == 0 ? null : incidents.median(values)));
        }
        return points;
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

package dev.assay.incidents;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.assay.catalog.Catalog;
import dev.assay.catalog.ServiceSummary;
import dev.assay.incidents.internal.DurationStatistics;
import dev.assay.incidents.internal.IncidentQueries;
import dev.assay.incidents.internal.IncidentQueries.TimelineRow;

/**
 * MTTD, MTTA and MTTR exactly as DESIGN §5 defines them (see {@link IncidentTimes} for the
 * durations and {@link DurationStatistics} for the statistics), for a window, team, service and
 * severity. Computed from the stored timelines on every call, so a figure is always reproducible
 * from the incidents it names: the same incidents give the same figure, interval and p-value
 * (seeded), whatever the server's time zone.
 */
@Service
@Transactional(readOnly = true)
public class IncidentFigures {

    /** The duration metrics of {@code /api/v1/metrics/{metric}} this service answers. */
    public static final Set<String> METRICS = Set.of("mttd", "mtta", "mttr");

    private final IncidentQueries queries;
    private final Catalog catalog;
    private final IncidentSettings settings;
    private final Clock clock;

    IncidentFigures(IncidentQueries queries, Catalog catalog, IncidentSettings settings, Clock clock) {
        this.queries = queries;
        this.catalog = catalog;
        this.settings = settings;
        this.clock = clock;
    }

    /** MTTD, MTTA and MTTR of the same incidents. */
    public record FigureSet(DurationFigure mttd, DurationFigure mtta, DurationFigure mttr) {

        public List<DurationFigure> all() {
            return List.of(mttd, mtta, mttr);
        }
    }

    /**
     * The figure {@code GET /api/v1/metrics/{mttd|mtta|mttr}} answers: production incidents (drills
     * excluded) of the window ending now.
     *
     * @throws IllegalArgumentException an unknown metric or a window that is not an ISO-8601 duration
     */
    public DurationFigure figure(String metric, String window, String team, String service, String severity) {
        return figure(metric, IncidentFilter.production(window, team, service, severity));
    }

    public DurationFigure figure(String metric, IncidentFilter filter) {
        if (!METRICS.contains(metric)) {
            throw new IllegalArgumentException("Unknown incident duration '" + metric + "'; known: " + new TreeSet<>(METRICS));
        }
        Periods periods = periods(filter);
        return compute(metric, filter.window(), periods, rows(filter, periods.from(), periods.to()),
                rows(filter, periods.previousFrom(), periods.from()));
    }

    public FigureSet figures(IncidentFilter filter) {
        Periods periods = periods(filter);
        List<TimelineRow> current = rows(filter, periods.from(), periods.to());
        List<TimelineRow> previous = rows(filter, periods.previousFrom(), periods.from());
        return new FigureSet(compute("mttd", filter.window(), periods, current, previous),
                compute("mtta", filter.window(), periods, current, previous),
                compute("mttr", filter.window(), periods, current, previous));
    }

    /** The timestamps of an incident as the figures see them (the review's impact start wins). */
    public static IncidentTimes times(Instant started, Instant reviewStarted, Instant detected, Instant acknowledged,
            Instant mitigated, Instant resolved) {
        return new IncidentTimes(reviewStarted != null ? reviewStarted : started, reviewStarted != null, detected,
                acknowledged, mitigated, resolved);
    }

    private record Periods(Instant previousFrom, Instant from, Instant to) {
    }

    private Periods periods(IncidentFilter filter) {
        Duration window = filter.windowDuration();
        if (window == null) {
            throw new IllegalArgumentException("a figure needs a window, e.g. P90D");
        }
        Instant to = filter.to() != null ? filter.to() : clock.instant();
        Instant from = to.minus(window);
        return new Periods(from.minus(window), from, to);
    }

    private List<TimelineRow> rows(IncidentFilter filter, Instant from, Instant to) {
        Boolean drills = filter.drills() == null ? Boolean.FALSE : filter.drills();
        return queries.timelines(new IncidentQueries.Filter(from, to, services(filter), filter.severity(), filter.source(),
                drills));
    }

    /** The service names a filter restricts to: null for no restriction; empty when nothing can match. */
    Set<String> services(IncidentFilter filter) {
        Set<String> services = null;
        if (filter.team() != null) {
            services = new TreeSet<>();
            for (ServiceSummary service : catalog.services()) {
                if (filter.team().equals(service.owningTeam())) {
                    services.add(service.name());
                }
            }
        }
        if (filter.service() != null) {
            if (services == null) {
                services = new TreeSet<>(Set.of(filter.service()));
            } else {
                services.retainAll(Set.of(filter.service()));
            }
        }
        return services;
    }

    private DurationFigure compute(String metric, String window, Periods periods, List<TimelineRow> rows,
            List<TimelineRow> previousRows) {
        List<DurationFigure.Sample> samples = new ArrayList<>();
        List<DurationFigure.Exclusion> exclusions = new ArrayList<>();
        double impactSeconds = 0;
        int impactUnknown = 0;
        for (TimelineRow row : rows) {
            IncidentTimes times = times(row);
            IncidentTimes.Measurement measurement = times.of(metric);
            if (measurement.measured()) {
                samples.add(new DurationFigure.Sample(row.id(), row.reference(), row.title(), measurement.seconds()));
            } else {
                exclusions.add(new DurationFigure.Exclusion(row.id(), row.reference(), row.title(), measurement.exclusion()));
            }
            IncidentTimes.Measurement impact = times.impact();
            if (impact.measured()) {
                impactSeconds += impact.seconds();
            } else {
                impactUnknown++;
            }
        }
        samples.sort(Comparator.comparingDouble(DurationFigure.Sample::seconds).thenComparing(DurationFigure.Sample::incidentId));
        double[] values = samples.stream().mapToDouble(DurationFigure.Sample::seconds).toArray();
        int n = values.length;
        Double median = null;
        Double p90 = null;
        Double mean = null;
        Double low = null;
        Double high = null;
        if (n > 0) {
            median = DurationStatistics.round(DurationStatistics.percentile(values, 0.5));
            p90 = DurationStatistics.round(DurationStatistics.percentile(values, 0.9));
            mean = DurationStatistics.round(DurationStatistics.mean(values));
            double[] ci = DurationStatistics.bootstrapMedianCi90(values, settings.bootstrapResamples(), settings.seed());
            low = DurationStatistics.round(ci[0]);
            high = DurationStatistics.round(ci[1]);
        }
        double[] previous = previousRows.stream().map(IncidentFigures::times).map(t -> t.of(metric))
                .filter(IncidentTimes.Measurement::measured).mapToDouble(IncidentTimes.Measurement::seconds).sorted().toArray();
        return new DurationFigure(metric, window, periods.from(), periods.to(), n, exclusions.size(), exclusions, median,
                p90, mean, low, high, n < settings.minSample(), settings.minSample(), rows.size(),
                Math.round(impactSeconds / 60.0 * 10.0) / 10.0, impactUnknown, samples,
                compare(metric, periods, values, previous));
    }

    /**
     * The statistics of a sample of durations (seconds, any order) exactly as the figures compute
     * them: same percentiles, rounding and seeded bootstrap interval.
     */
    public DurationSummary summarize(double[] seconds) {
        double[] values = seconds.clone();
        java.util.Arrays.sort(values);
        int n = values.length;
        if (n == 0) {
            return new DurationSummary(0, null, null, null, null, null, true);
        }
        double[] ci = DurationStatistics.bootstrapMedianCi90(values, settings.bootstrapResamples(), settings.seed());
        return new DurationSummary(n, DurationStatistics.round(DurationStatistics.percentile(values, 0.5)),
                DurationStatistics.round(DurationStatistics.percentile(values, 0.9)),
                DurationStatistics.round(DurationStatistics.mean(values)), DurationStatistics.round(ci[0]),
                DurationStatistics.round(ci[1]), n < settings.minSample());
    }

    /** The median of a sample of durations (seconds, any order, not empty), rounded as the figures round it. */
    public double median(double[] seconds) {
        return DurationStatistics.round(DurationStatistics.median(seconds));
    }

    /**
     * The period-over-period comparison of DESIGN §5 (seeded permutation test on the medians) of two
     * samples of durations, as the figures label it.
     */
    public DurationFigure.Comparison compare(String metric, Instant previousFrom, Instant from, double[] current,
            double[] previous) {
        double[] now = current.clone();
        double[] before = previous.clone();
        java.util.Arrays.sort(now);
        java.util.Arrays.sort(before);
        return compare(metric, new Periods(previousFrom, from, from), now, before);
    }

    private DurationFigure.Comparison compare(String metric, Periods periods, double[] current, double[] previous) {
        Double previousMedian = previous.length == 0 ? null
                : DurationStatistics.round(DurationStatistics.percentile(previous, 0.5));
        if (current.length < settings.minSample() || previous.length < settings.minSample()) {
            return new DurationFigure.Comparison(periods.previousFrom(), periods.from(), previous.length, previousMedian,
                    null, null, false, "too few incidents to compare (at least " + settings.minSample()
                            + " in each period are needed)");
        }
        double difference = DurationStatistics.round(DurationStatistics.percentile(current, 0.5) - previousMedian);
        double p = DurationStatistics.permutationPValue(previous, current, settings.permutations(), settings.seed());
        double pRounded = Math.round(p * 10_000.0) / 10_000.0;
        boolean detectable = p < settings.significance();
        String pText = String.format(Locale.ROOT, "p = %.3f", p);
        String label = detectable
                ? metric.toUpperCase(Locale.ROOT) + (difference < 0 ? " fell by " : " rose by ")
                        + Durations.spellSeconds(Math.abs(difference)) + " (" + pText + ")"
                : "no detectable change (" + pText + ")";
        return new DurationFigure.Comparison(periods.previousFrom(), periods.from(), previous.length, previousMedian,
                difference, pRounded, detectable, label);
    }

    private static IncidentTimes times(TimelineRow row) {
        return times(row.started(), row.reviewStarted(), row.detected(), row.acknowledged(), row.mitigated(), row.resolved());
    }
}

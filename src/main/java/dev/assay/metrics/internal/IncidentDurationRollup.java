package dev.assay.metrics.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import dev.assay.incidents.DurationFigure;
import dev.assay.incidents.DurationSummary;
import dev.assay.incidents.IncidentFigures;

/**
 * MTTD / MTTA / MTTR of every window and scope (the organisation, each team, each service), computed
 * once per rollup run from the incident samples with the incidents feature's own statistics (the
 * same median, percentiles, bootstrap interval and permutation test as {@code /api/v1/metrics}), and
 * the weekly medians of the organisation's and each team's trend. Pages then read stored rows.
 */
@Component
public class IncidentDurationRollup {

    /**
     * One incident's duration for one of its services.
     *
     * @param team    the service's owning team at the time of the run, {@link RollupWriter#ALL} if none
     * @param service the service, {@link RollupWriter#ALL} for an incident of no known service
     * @param seconds null when the incident is excluded from the metric (a timestamp unknown or inconsistent)
     */
    public record Sample(String metric, long incident, String service, String team, Instant occurredAt, Double seconds) {
    }

    /** A scope of the rollup rows: the organisation (both keys ALL), a team, or a service with its owning team. */
    public record Scope(String team, String service) {
    }

    /** The figure of one metric, window and scope. */
    public record Figure(String metric, String window, Scope scope, DurationSummary summary, int excluded,
            DurationFigure.Comparison comparison) {
    }

    /** The median of one week of the organisation's or a team's trend; {@code weekEnd} is exclusive. */
    public record Week(String metric, String team, LocalDate weekEnd, int n, Double medianSeconds) {
    }

    private final IncidentFigures figures;

    IncidentDurationRollup(IncidentFigures figures) {
        this.figures = figures;
    }

    /** The figures of every metric × window × scope at {@code now}. */
    public List<Figure> figures(Instant now, List<String> metrics, List<String> windows, List<Scope> scopes,
            List<Sample> samples) {
        List<Figure> result = new ArrayList<>();
        for (String metric : metrics) {
            Map<Scope, List<Sample>> byScope = byScope(metric, scopes, samples);
            for (String window : windows) {
                Duration span = Duration.parse(window);
                Instant from = now.minus(span);
                Instant previousFrom = from.minus(span);
                for (Scope scope : scopes) {
                    List<Sample> mine = byScope.getOrDefault(scope, List.of());
                    Slice current = slice(mine, from, now);
                    Slice previous = slice(mine, previousFrom, from);
                    result.add(new Figure(metric, window, scope, figures.summarize(current.values()), current.excluded(),
                            figures.compare(metric, previousFrom, from, current.values(), previous.values())));
                }
            }
        }
        return result;
    }

    /** The weekly medians of the last {@code weeks} weeks before {@code now}, for the organisation and each team. */
    public List<Week> weeks(Instant now, List<String> metrics, List<Scope> scopes, List<Sample> samples, int weeks) {
        List<Week> result = new ArrayList<>();
        for (String metric : metrics) {
            Map<Scope, List<Sample>> byScope = byScope(metric, scopes, samples);
            for (Scope scope : scopes) {
                if (!scope.service().equals(RollupWriter.ALL)) {
                    continue;
                }
                List<Sample> mine = byScope.getOrDefault(scope, List.of());
                for (int k = weeks; k >= 1; k--) {
                    Instant from = now.minus(Duration.ofDays(7L * k));
                    Instant to = from.plus(Duration.ofDays(7));
                    double[] values = slice(mine, from, to).values();
                    Double median = values.length == 0 ? null : figures.median(values);
                    result.add(new Week(metric, scope.team(), LocalDate.ofInstant(to, ZoneOffset.UTC), values.length, median));
                }
            }
        }
        return result;
    }

    /**
     * The samples of one metric per scope, one per incident: the organisation holds every incident,
     * a team the incidents of its services, a service its own.
     */
    private static Map<Scope, List<Sample>> byScope(String metric, List<Scope> scopes, List<Sample> samples) {
        Map<Scope, Map<Long, Sample>> distinct = new HashMap<>();
        Scope organisation = new Scope(RollupWriter.ALL, RollupWriter.ALL);
        for (Sample sample : samples) {
            if (!sample.metric().equals(metric)) {
                continue;
            }
            distinct.computeIfAbsent(organisation, k -> new LinkedHashMap<>()).putIfAbsent(sample.incident(), sample);
            if (!sample.team().equals(RollupWriter.ALL)) {
                distinct.computeIfAbsent(new Scope(sample.team(), RollupWriter.ALL), k -> new LinkedHashMap<>())
                        .putIfAbsent(sample.incident(), sample);
            }
            if (!sample.service().equals(RollupWriter.ALL)) {
                distinct.computeIfAbsent(new Scope(sample.team(), sample.service()), k -> new LinkedHashMap<>())
                        .putIfAbsent(sample.incident(), sample);
            }
        }
        Map<Scope, List<Sample>> byScope = new HashMap<>();
        for (Scope scope : scopes) {
            Map<Long, Sample> mine = distinct.get(scope);
            if (mine != null) {
                byScope.put(scope, List.copyOf(mine.values()));
            }
        }
        return byScope;
    }

    private record Slice(double[] values, int excluded) {
    }

    /** The measured seconds (in incident order) and the excluded count of the samples of [from, to). */
    private static Slice slice(List<Sample> samples, Instant from, Instant to) {
        double[] values = new double[samples.size()];
        int n = 0;
        int excluded = 0;
        for (Sample sample : samples) {
            if (sample.occurredAt().isBefore(from) || !sample.occurredAt().isBefore(to)) {
                continue;
            }
            if (sample.seconds() == null) {
                excluded++;
            } else {
                values[n++] = sample.seconds();
            }
        }
        return new Slice(java.util.Arrays.copyOf(values, n), excluded);
    }
}

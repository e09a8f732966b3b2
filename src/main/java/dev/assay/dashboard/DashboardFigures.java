package dev.assay.dashboard;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Service;

import dev.assay.catalog.Catalog;
import dev.assay.catalog.TeamName;
import dev.assay.incidents.Durations;
import dev.assay.metrics.MetricNames;
import dev.assay.metrics.MetricRollups;
import dev.assay.metrics.MetricRollups.TrendPoint;
import dev.assay.metrics.RolledDuration;
import dev.assay.metrics.RolledRatio;

/**
 * The dashboard's tiles and team league table, read from the metrics rollups only (never the
 * facts), for a window and optionally a team or a service.
 */
@Service
class DashboardFigures {

    static final int TREND_WEEKS = 12;

    private final MetricRollups rollups;
    private final Catalog catalog;

    DashboardFigures(MetricRollups rollups, Catalog catalog) {
        this.rollups = rollups;
        this.catalog = catalog;
    }

    /** The headline tiles in the order of DESIGN §5 / issue 7. */
    List<Tile> tiles(String window, String team, String service) {
        String scope = scopeQuery(team, service);
        List<Tile> tiles = new ArrayList<>();
        tiles.add(duration(MetricNames.MTTD, "MTTD (median time to detect)", window, team, service, "/incidents" + scope));
        tiles.add(duration(MetricNames.MTTR, "MTTR (median time to restore)", window, team, service, "/incidents" + scope));
        tiles.add(ratio(MetricNames.SIGNED_COVERAGE, "Signed (verified) coverage", window, team, service, artifactsLink(team, service)));
        tiles.add(ratio(MetricNames.SCANNED_COVERAGE, "Scanned coverage", window, team, service, artifactsLink(team, service)));
        tiles.add(ratio(MetricNames.SBOM_COVERAGE, "SBOM coverage", window, team, service, artifactsLink(team, service)));
        tiles.add(ratio(MetricNames.PROVENANCE_COVERAGE, "Provenance coverage", window, team, service, artifactsLink(team, service)));
        tiles.add(ratio(MetricNames.SLA_COMPLIANCE, "SLA compliance", window, team, service, "/findings" + scope));
        tiles.add(overdueCriticals(window, team, service, "/findings" + scopeQuery(team, service, "severity=critical")));
        tiles.add(ratio(MetricNames.OWNERSHIP_COVERAGE, "Ownership coverage", window, team, service,
                team == null && service == null ? "/teams" : teamOrService(team, service)));
        tiles.add(ratio(MetricNames.DRILL_COVERAGE, "Drill coverage", window, team, service, "/runbooks"));
        return tiles;
    }

    private Tile duration(String metric, String name, String window, String team, String service, String link) {
        RolledDuration figure = rollups.incidentDuration(metric, window, team, service);
        String detail = figure.n() == 0 ? "No incidents measured in the window (" + figure.excluded() + " excluded)."
                : "n = " + figure.n() + " incidents, p90 " + figure.p90Text() + ", mean " + figure.meanText() + "; "
                        + figure.excluded() + " excluded (a timestamp unknown)."
                        + (figure.tooFew() ? " Too few incidents for a reliable figure." : "");
        List<TrendPoint> points = rollups.trend(metric, window, team, service, TREND_WEEKS);
        TrendChart trend = TrendChart.of(name + ", weekly median, last " + TREND_WEEKS + " weeks", weeks(points),
                values(points), 60, seconds -> Durations.spellSeconds(seconds));
        return new Tile(metric, name, figure.medianText(), figure.medianSeconds(), detail,
                figure.comparison() == null ? "" : figure.comparison().label(), Rating.NONE, link, trend);
    }

    private Tile ratio(String metric, String name, String window, String team, String service, String link) {
        Optional<RolledRatio> figure = rollups.ratio(metric, window, team, service);
        String detail = figure.map(f -> f.numerator() + " of " + f.denominator() + ".")
                .orElse("No rollup stored yet for this scope.");
        if (metric.equals(MetricNames.SIGNED_COVERAGE)) {
            detail += rollups.ratio(MetricNames.SIGNED_UNVERIFIED, window, team, service)
                    .map(u -> " " + u.numerator() + " more signed but not verified.").orElse("");
        }
        List<TrendPoint> points = rollups.trend(metric, window, team, service, TREND_WEEKS);
        TrendChart trend = TrendChart.of(name + ", weekly, last " + TREND_WEEKS + " weeks", weeks(points), values(points),
                1, DashboardFigures::percent);
        return new Tile(metric, name, figure.map(RolledRatio::percent).orElse("n/a"), figure.map(RolledRatio::ratio).orElse(null),
                detail, change(metric, window, team, service, figure), Rating.ofRatio(figure.map(RolledRatio::ratio).orElse(null)),
                link, trend);
    }

    private Tile overdueCriticals(String window, String team, String service, String link) {
        Optional<RolledRatio> figure = rollups.ratio(MetricNames.OVERDUE_CRITICALS, window, team, service);
        List<TrendPoint> points = rollups.trend(MetricNames.OVERDUE_CRITICALS, window, team, service, TREND_WEEKS);
        TrendChart trend = TrendChart.of("Overdue critical findings, weekly, last " + TREND_WEEKS + " weeks", weeks(points),
                values(points), 1, count -> String.valueOf(Math.round(count)));
        String change = figure.flatMap(now -> previous(MetricNames.OVERDUE_CRITICALS, window, team, service, now)
                .map(before -> signed(now.numerator() - before.numerator()) + " since " + before.rollupDay()))
                .orElse("no figure of the previous period stored yet");
        return new Tile(MetricNames.OVERDUE_CRITICALS, "Overdue criticals",
                figure.map(f -> String.valueOf(f.numerator())).orElse("n/a"),
                figure.map(f -> (double) f.numerator()).orElse(null),
                figure.map(f -> "of " + f.denominator() + " open critical findings are past their SLA due date.")
                        .orElse("No rollup stored yet for this scope."),
                change, Rating.ofCount(figure.map(RolledRatio::numerator).orElse(null)), link, trend);
    }

    /** The team league table: every catalog team with its headline figures. */
    List<LeagueRow> league(String window) {
        return league(window, catalog.teamNames());
    }

    /** The league table of these teams (the catalog's, already read by the caller): a query per column. */
    List<LeagueRow> league(String window, List<TeamName> teams) {
        Map<String, Double> mttr = rollups.medianSecondsByTeam(MetricNames.MTTR, window);
        Map<String, Map<String, RolledRatio>> ratios = rollups.ratiosByTeam(List.of(MetricNames.SIGNED_COVERAGE,
                MetricNames.SCANNED_COVERAGE, MetricNames.SLA_COMPLIANCE, MetricNames.OVERDUE_CRITICALS,
                MetricNames.OWNERSHIP_COVERAGE, MetricNames.DRILL_COVERAGE), window);
        Map<String, RolledRatio> signed = ratios.get(MetricNames.SIGNED_COVERAGE);
        Map<String, RolledRatio> scanned = ratios.get(MetricNames.SCANNED_COVERAGE);
        Map<String, RolledRatio> sla = ratios.get(MetricNames.SLA_COMPLIANCE);
        Map<String, RolledRatio> overdue = ratios.get(MetricNames.OVERDUE_CRITICALS);
        Map<String, RolledRatio> ownership = ratios.get(MetricNames.OWNERSHIP_COVERAGE);
        Map<String, RolledRatio> drills = ratios.get(MetricNames.DRILL_COVERAGE);
        List<LeagueRow> rows = new ArrayList<>();
        for (TeamName team : teams) {
            String name = team.name();
            rows.add(new LeagueRow(name, team.label(), mttr.get(name),
                    ratioOf(signed.get(name)), ratioOf(scanned.get(name)), ratioOf(sla.get(name)),
                    overdue.containsKey(name) ? overdue.get(name).numerator() : null, ratioOf(ownership.get(name)),
                    ratioOf(drills.get(name))));
        }
        return rows;
    }

    /** The services of a team (or every service) with their headline figures, for the drill-down; a few queries. */
    List<LeagueRow> services(String window, String team) {
        Map<String, RolledDuration> mttr = rollups.incidentDurationsByService(MetricNames.MTTR, window);
        Map<String, RolledRatio> signed = rollups.ratiosByService(MetricNames.SIGNED_COVERAGE, window);
        Map<String, RolledRatio> scanned = rollups.ratiosByService(MetricNames.SCANNED_COVERAGE, window);
        Map<String, RolledRatio> sla = rollups.ratiosByService(MetricNames.SLA_COMPLIANCE, window);
        Map<String, RolledRatio> overdue = rollups.ratiosByService(MetricNames.OVERDUE_CRITICALS, window);
        Map<String, RolledRatio> ownership = rollups.ratiosByService(MetricNames.OWNERSHIP_COVERAGE, window);
        Map<String, RolledRatio> drills = rollups.ratiosByService(MetricNames.DRILL_COVERAGE, window);
        List<LeagueRow> rows = new ArrayList<>();
        catalog.services().stream().filter(s -> team == null || team.equals(s.owningTeam()))
                .sorted(Comparator.comparing(dev.assay.catalog.ServiceSummary::name))
                .forEach(s -> rows.add(new LeagueRow(s.name(), s.title() == null ? s.name() : s.title(),
                        Optional.ofNullable(mttr.get(s.name())).map(RolledDuration::medianSeconds).orElse(null),
                        ratioOf(signed.get(s.name())), ratioOf(scanned.get(s.name())),
                        ratioOf(sla.get(s.name())),
                        overdue.containsKey(s.name()) ? overdue.get(s.name()).numerator() : null,
                        ratioOf(ownership.get(s.name())), ratioOf(drills.get(s.name())))));
        return rows;
    }

    private String change(String metric, String window, String team, String service, Optional<RolledRatio> figure) {
        if (figure.isEmpty() || figure.get().ratio() == null) {
            return "no figure to compare";
        }
        return previous(metric, window, team, service, figure.get())
                .filter(before -> before.ratio() != null)
                .map(before -> {
                    double points = (figure.get().ratio() - before.ratio()) * 100;
                    return Math.abs(points) < 0.05 ? "no change since " + before.rollupDay()
                            : String.format(Locale.ROOT, "%+.1f percentage points since %s", points, before.rollupDay());
                })
                .orElse("no figure of the previous period stored yet");
    }

    /** The figure stored one window before the current one (the previous period's end), if any. */
    private Optional<RolledRatio> previous(String metric, String window, String team, String service, RolledRatio now) {
        LocalDate end = now.rollupDay().minusDays(Math.max(1, Duration.parse(window).toDays()));
        return rollups.ratioOnOrBefore(metric, window, team, service, end);
    }

    static String percent(Double ratio) {
        return ratio == null ? "n/a" : String.format(Locale.ROOT, "%.1f%%", ratio * 100);
    }

    private static String signed(long difference) {
        return difference == 0 ? "no change" : String.format(Locale.ROOT, "%+d", difference);
    }

    private static Double ratioOf(RolledRatio ratio) {
        return ratio == null ? null : ratio.ratio();
    }

    private static List<LocalDate> weeks(List<TrendPoint> points) {
        return points.stream().map(TrendPoint::end).toList();
    }

    private static List<Double> values(List<TrendPoint> points) {
        return points.stream().map(TrendPoint::value).toList();
    }

    private static String teamOrService(String team, String service) {
        return service != null ? "/services/" + service : "/teams/" + team;
    }

    private static String artifactsLink(String team, String service) {
        return service != null ? "/services/" + service : team != null ? "/teams/" + team : "/teams";
    }

    private static String scopeQuery(String team, String service, String... more) {
        List<String> parts = new ArrayList<>();
        if (team != null) {
            parts.add("team=" + team);
        }
        if (service != null) {
            parts.add("service=" + service);
        }
        parts.addAll(List.of(more));
        return parts.isEmpty() ? "" : "?" + String.join("&", parts);
    }
}

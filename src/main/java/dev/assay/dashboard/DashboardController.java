package dev.assay.dashboard;

import java.util.ArrayList;
import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

import dev.assay.catalog.Catalog;
import dev.assay.catalog.TeamName;
import dev.assay.common.Csv;
import dev.assay.metrics.MetricRollups;
import dev.assay.metrics.MetricsSettings;

/**
 * The landing page (DESIGN §4 {@code /}): the headline tiles, the team league table and the
 * drill-down by team and service, all read from the metrics rollups. Filters: {@code window} (one
 * of {@code assay.metrics.windows}), {@code team}, {@code service}; {@code sort} orders the league
 * table worst first by a column, which shows the worst teams ({@link LeagueTable}) or, with
 * {@code league=all}, every team. CSV of the tiles and of the whole league table.
 */
@Controller
class DashboardController {

    private final DashboardFigures figures;
    private final DashboardFilters filters;
    private final MetricRollups rollups;
    private final MetricsSettings settings;
    private final Catalog catalog;

    DashboardController(DashboardFigures figures, DashboardFilters filters, MetricRollups rollups, MetricsSettings settings,
            Catalog catalog) {
        this.figures = figures;
        this.filters = filters;
        this.rollups = rollups;
        this.settings = settings;
        this.catalog = catalog;
    }

    @GetMapping("/")
    String dashboard(@RequestParam(required = false) String window, @RequestParam(required = false) String team,
            @RequestParam(required = false) String service, @RequestParam(defaultValue = "sla") String sort,
            @RequestParam(required = false) String league, Model model) {
        DashboardFilters.Filter filter = filters.filter(window, team, service, sort);
        boolean wholeLeague = LeagueTable.wantsAll(league);
        model.addAttribute("filter", filter);
        model.addAttribute("windows", settings.windows());
        model.addAttribute("columns", LeagueRow.Column.values());
        List<TeamName> teams = catalog.teamNames();
        model.addAttribute("teams", teams);
        model.addAttribute("rolledUpAt", rollups.computedAt().orElse(null));
        model.addAttribute("tiles", figures.tiles(filter.window(), filter.team(), filter.service()));
        if (filter.team() == null && filter.service() == null) {
            model.addAttribute("league", LeagueTable.of(LeagueRow.sorted(figures.league(filter.window(), teams), filter.sort()),
                    wholeLeague));
        } else if (filter.service() == null) {
            model.addAttribute("serviceRows", LeagueRow.sorted(figures.services(filter.window(), filter.team()), filter.sort()));
        }
        return "dashboard/dashboard";
    }

    @GetMapping(value = "/dashboard.csv", produces = "text/csv")
    ResponseEntity<String> tilesCsv(@RequestParam(required = false) String window, @RequestParam(required = false) String team,
            @RequestParam(required = false) String service) {
        DashboardFilters.Filter filter = filters.filter(window, team, service, "sla");
        List<List<?>> rows = new ArrayList<>();
        for (Tile tile : figures.tiles(filter.window(), filter.team(), filter.service())) {
            rows.add(List.of(tile.id(), tile.name(), filter.window(), filter.team() == null ? "" : filter.team(),
                    filter.service() == null ? "" : filter.service(), tile.raw() == null ? "" : tile.raw(), tile.value(),
                    tile.detail(), tile.change()));
        }
        return csv("dashboard.csv", Csv.render(List.of("metric", "name", "window", "team", "service", "value", "value_text",
                "detail", "change"), rows));
    }

    @GetMapping(value = "/dashboard/teams.csv", produces = "text/csv")
    ResponseEntity<String> leagueCsv(@RequestParam(required = false) String window,
            @RequestParam(defaultValue = "sla") String sort) {
        DashboardFilters.Filter filter = filters.filter(window, null, null, sort);
        List<List<?>> rows = new ArrayList<>();
        for (LeagueRow row : LeagueRow.sorted(figures.league(filter.window()), filter.sort())) {
            rows.add(LeagueCsv.row(row));
        }
        return csv("teams.csv", Csv.render(LeagueCsv.HEADER, rows));
    }

    @GetMapping(value = "/dashboard/services.csv", produces = "text/csv")
    ResponseEntity<String> servicesCsv(@RequestParam(required = false) String window,
            @RequestParam(required = false) String team, @RequestParam(defaultValue = "sla") String sort) {
        DashboardFilters.Filter filter = filters.filter(window, team, null, sort);
        List<List<?>> rows = new ArrayList<>();
        for (LeagueRow row : LeagueRow.sorted(figures.services(filter.window(), filter.team()), filter.sort())) {
            rows.add(LeagueCsv.row(row));
        }
        List<String> header = new ArrayList<>(LeagueCsv.HEADER);
        header.set(0, "service");
        return csv("services.csv", Csv.render(header, rows));
    }

    @GetMapping("/definitions")
    String definitions() {
        return "dashboard/definitions";
    }

    static ResponseEntity<String> csv(String filename, String body) {
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + filename + "\"")
                .contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
                .body(body);
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ModelAndView badFilter(IllegalArgumentException e) {
        return problem(e);
    }

    /** The 400 page of a filter the dashboard cannot show, with the reason. */
    static ModelAndView problem(IllegalArgumentException e) {
        ModelAndView page = new ModelAndView("dashboard/problem");
        page.setStatus(HttpStatus.BAD_REQUEST);
        page.addObject("problem", e.getMessage());
        page.addObject("status", 400);
        return page;
    }

}

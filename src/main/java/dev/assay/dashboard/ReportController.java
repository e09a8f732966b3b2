package dev.assay.dashboard;

import java.util.List;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

import dev.assay.metrics.MetricRollups;

/**
 * {@code /reports/executive}: a print-ready page (print CSS; prints to PDF from a browser) with the
 * period summary, the trends, the top risks (services with the most overdue critical findings, then
 * the lowest SLA compliance) and the teams needing attention (worst SLA compliance first, any poor
 * figure). Read from the rollups like the dashboard.
 */
@Controller
class ReportController {

    static final int TOP = 5;

    private final DashboardFilters filters;
    private final DashboardFigures figures;
    private final MetricRollups rollups;

    ReportController(DashboardFilters filters, DashboardFigures figures, MetricRollups rollups) {
        this.filters = filters;
        this.figures = figures;
        this.rollups = rollups;
    }

    @GetMapping("/reports/executive")
    String executive(@RequestParam(required = false) String window, Model model) {
        DashboardFilters.Filter filter = filters.filter(window, null, null, "sla");
        model.addAttribute("filter", filter);
        model.addAttribute("rolledUpAt", rollups.computedAt().orElse(null));
        model.addAttribute("tiles", figures.tiles(filter.window(), null, null));
        List<LeagueRow> risks = LeagueRow.sorted(figures.services(filter.window(), null), LeagueRow.Column.OVERDUE).stream()
                .filter(r -> r.overdueCriticals() != null && r.overdueCriticals() > 0
                        || "poor".equals(r.slaCell().rating()))
                .limit(TOP).toList();
        model.addAttribute("risks", risks);
        List<LeagueRow> attention = LeagueRow.sorted(figures.league(filter.window()), LeagueRow.Column.SLA).stream()
                .filter(ReportController::needsAttention).limit(TOP).toList();
        model.addAttribute("attention", attention);
        return "dashboard/report";
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ModelAndView badFilter(IllegalArgumentException e) {
        return DashboardController.problem(e);
    }

    /** A team with any poor figure. */
    static boolean needsAttention(LeagueRow row) {
        return List.of(row.signedCell(), row.scannedCell(), row.slaCell(), row.overdueCell(), row.ownershipCell(),
                row.drillsCell()).stream().anyMatch(c -> Rating.POOR.equals(c.rating()));
    }
}

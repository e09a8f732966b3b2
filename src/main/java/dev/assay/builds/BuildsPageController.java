package dev.assay.builds;

import static org.springframework.http.HttpStatus.NOT_FOUND;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

import dev.assay.catalog.Catalog;
import dev.assay.catalog.ServiceDetail;
import dev.assay.common.PageRequest;

/**
 * A service's builds ({@code /services/{name}/builds}: recent runs, success rate, duration trend) and
 * the unmapped runs ({@code /admin/pipeline-runs/unmapped}, admins: runs whose repository, project or
 * job no catalog service is linked to).
 */
@Controller
class BuildsPageController {

    private final PipelineRuns runs;
    private final Catalog catalog;

    BuildsPageController(PipelineRuns runs, Catalog catalog) {
        this.runs = runs;
        this.catalog = catalog;
    }

    @GetMapping("/services/{name}/builds")
    String serviceBuilds(@PathVariable String name, Model model) {
        ServiceDetail service = catalog.service(name).orElseThrow(() -> new ResponseStatusException(NOT_FOUND, "No service " + name));
        ServiceBuilds builds = runs.service(name);
        model.addAttribute("service", service.service());
        model.addAttribute("builds", builds);
        model.addAttribute("trend", DurationTrend.of(builds.trend()));
        model.addAttribute("successPercent", builds.successRate() == null ? null
                : Math.round(builds.successRate() * 1000) / 10.0 + "%");
        return "builds/service-builds";
    }

    @GetMapping("/admin/pipeline-runs/unmapped")
    String unmapped(@RequestParam(required = false) String source, @RequestParam(required = false) Integer page,
            Model model) {
        var filter = new PipelineRunFilter(null, null, PipelineRunFilter.blankToNull(source), null, null, false);
        model.addAttribute("runs", runs.list(filter, PageRequest.of(page, 100)));
        model.addAttribute("source", PipelineRunFilter.blankToNull(source));
        return "builds/unmapped";
    }
}

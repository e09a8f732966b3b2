package dev.assay.incidents;

import static org.springframework.http.HttpStatus.BAD_REQUEST;
import static org.springframework.http.HttpStatus.NOT_FOUND;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

import dev.assay.catalog.Catalog;
import dev.assay.common.PageRequest;

/**
 * {@code /teams/{name}/incidents} and {@code /services/{name}/incidents}: the MTTx of a team's or a
 * service's production incidents with their distributions, and the incidents themselves. The
 * catalog's team and service pages link here.
 */
@Controller
class ScopeIncidentsController {

    private final Catalog catalog;
    private final IncidentFigures figures;
    private final Incidents incidents;

    ScopeIncidentsController(Catalog catalog, IncidentFigures figures, Incidents incidents) {
        this.catalog = catalog;
        this.figures = figures;
        this.incidents = incidents;
    }

    @GetMapping("/teams/{name}/incidents")
    String team(@PathVariable String name, @RequestParam(defaultValue = IncidentPageController.DEFAULT_WINDOW) String window,
            Model model) {
        var team = catalog.team(name).orElseThrow(() -> new ResponseStatusException(NOT_FOUND, "No team " + name));
        model.addAttribute("scopeKind", "team");
        model.addAttribute("scopeTitle", team.team().title() != null ? team.team().title() : name);
        return scope(new IncidentFilter(window, null, name, null, null, null, null), name, window, model);
    }

    @GetMapping("/services/{name}/incidents")
    String service(@PathVariable String name,
            @RequestParam(defaultValue = IncidentPageController.DEFAULT_WINDOW) String window, Model model) {
        var service = catalog.service(name).orElseThrow(() -> new ResponseStatusException(NOT_FOUND, "No service " + name));
        model.addAttribute("scopeKind", "service");
        model.addAttribute("scopeTitle", service.service().title() != null ? service.service().title() : name);
        model.addAttribute("owningTeam", service.service().owningTeam());
        return scope(new IncidentFilter(window, null, null, name, null, null, null), name, window, model);
    }

    private String scope(IncidentFilter filter, String name, String window, Model model) {
        try {
            IncidentFigures.FigureSet set = figures.figures(filter.withDrills(false));
            model.addAttribute("figures", set);
            model.addAttribute("plots", set.all().stream().map(StripPlot::of).toList());
            model.addAttribute("drills", figures.figures(filter.withDrills(true)));
            model.addAttribute("result", incidents.list(filter, new PageRequest(0, 100)));
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(BAD_REQUEST, e.getMessage());
        }
        model.addAttribute("scopeName", name);
        model.addAttribute("window", window);
        model.addAttribute("windows", IncidentPageController.WINDOWS);
        return "incidents/scope";
    }
}

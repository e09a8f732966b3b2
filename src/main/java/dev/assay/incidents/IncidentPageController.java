package dev.assay.incidents;

import static org.springframework.http.HttpStatus.BAD_REQUEST;
import static org.springframework.http.HttpStatus.NOT_FOUND;

import java.util.List;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.assay.catalog.Catalog;
import dev.assay.catalog.ServiceSummary;
import dev.assay.catalog.TeamSummary;
import dev.assay.common.PageRequest;

/**
 * The incident pages: the list with MTTD / MTTA / MTTR of the same filters, an incident with its
 * timeline and review, and the review forms (object-level checks in {@link IncidentReviews}).
 */
@Controller
class IncidentPageController {

    static final List<String> WINDOWS = List.of("P7D", "P30D", "P90D", "P180D", "P365D");
    static final String DEFAULT_WINDOW = "P90D";

    private final Incidents incidents;
    private final IncidentFigures figures;
    private final IncidentReviews reviews;
    private final IncidentChecklist checklists;
    private final Catalog catalog;

    IncidentPageController(Incidents incidents, IncidentFigures figures, IncidentReviews reviews, IncidentChecklist checklists,
            Catalog catalog) {
        this.incidents = incidents;
        this.figures = figures;
        this.reviews = reviews;
        this.checklists = checklists;
        this.catalog = catalog;
    }

    @GetMapping("/incidents")
    String list(@RequestParam(defaultValue = DEFAULT_WINDOW) String window, @RequestParam(required = false) String team,
            @RequestParam(required = false) String service, @RequestParam(required = false) String severity,
            @RequestParam(required = false) String source, @RequestParam(defaultValue = "0") int page, Model model) {
        IncidentFilter filter = new IncidentFilter(window, null, IncidentFilter.blankToNull(team),
                IncidentFilter.blankToNull(service), IncidentFilter.blankToNull(severity), IncidentFilter.blankToNull(source),
                null);
        try {
            IncidentFigures.FigureSet set = figures.figures(filter.withDrills(false));
            model.addAttribute("figures", set);
            model.addAttribute("plots", set.all().stream().map(StripPlot::of).toList());
            model.addAttribute("result", incidents.list(filter, new PageRequest(Math.max(0, page), 50)));
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(BAD_REQUEST, e.getMessage());
        }
        model.addAttribute("window", window);
        model.addAttribute("team", filter.team());
        model.addAttribute("service", filter.service());
        model.addAttribute("severity", filter.severity());
        model.addAttribute("source", filter.source());
        model.addAttribute("windows", WINDOWS.contains(window) ? WINDOWS : concat(WINDOWS, window));
        model.addAttribute("teams", catalog.teams().stream().map(TeamSummary::name).toList());
        model.addAttribute("services", catalog.services().stream().map(ServiceSummary::name).toList());
        model.addAttribute("severities", incidents.severities());
        model.addAttribute("sources", incidents.sources());
        return "incidents/list";
    }

    @GetMapping("/incidents/{id}")
    String detail(@PathVariable long id, Model model, Authentication user) {
        IncidentDetail detail = incidents.detail(id).orElseThrow(() -> new ResponseStatusException(NOT_FOUND, "No incident " + id));
        model.addAttribute("detail", detail);
        boolean canReview = reviews.canReview(user, detail.incident());
        model.addAttribute("canReview", canReview);
        model.addAttribute("checklist", checklists.checklist(detail.incident()).orElse(null));
        model.addAttribute("runbookChoices", canReview ? checklists.candidates(detail.incident()) : List.of());
        return "incidents/detail";
    }

    @PostMapping("/incidents/{id}/runbook")
    String linkRunbook(@PathVariable long id, @RequestParam(required = false) String runbook, Authentication user,
            RedirectAttributes redirect) {
        IncidentSummary incident = find(id);
        try {
            checklists.link(incident, runbook, user);
            redirect.addFlashAttribute("message", runbook == null || runbook.isBlank() ? "Runbook unlinked." : "Runbook linked.");
        } catch (IllegalArgumentException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/incidents/" + id + "#checklist";
    }

    @PostMapping("/incidents/{id}/checklist/{position}/done")
    String markStepDone(@PathVariable long id, @PathVariable int position, @RequestParam(required = false) String note,
            Authentication user, RedirectAttributes redirect) {
        IncidentSummary incident = find(id);
        try {
            checklists.markDone(incident, position, note, user);
            redirect.addFlashAttribute("message", "Step " + position + " done.");
        } catch (IllegalArgumentException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/incidents/" + id + "#step-" + position;
    }

    @PostMapping("/incidents/{id}/review")
    String saveReview(@PathVariable long id, @RequestParam(required = false) String status,
            @RequestParam(required = false) String summary, @RequestParam(required = false) String rootCauses,
            @RequestParam(required = false) String wentWell, @RequestParam(required = false) String wentBadly,
            @RequestParam(required = false) String impactStartedAt, @RequestParam(required = false) String runbookId,
            Authentication user, RedirectAttributes redirect) {
        IncidentSummary incident = find(id);
        try {
            reviews.saveReview(incident, new IncidentReviews.ReviewForm(status, summary, rootCauses, wentWell, wentBadly,
                    impactStartedAt, runbookId), user);
            redirect.addFlashAttribute("message", "Review saved.");
        } catch (IllegalArgumentException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/incidents/" + id + "#review";
    }

    @PostMapping("/incidents/{id}/review/actions")
    String addAction(@PathVariable long id, @RequestParam(required = false) String description,
            @RequestParam(required = false) String owner, @RequestParam(required = false) String dueDate,
            Authentication user, RedirectAttributes redirect) {
        IncidentSummary incident = find(id);
        try {
            reviews.addAction(incident, new IncidentReviews.ActionForm(description, owner, dueDate), user);
            redirect.addFlashAttribute("message", "Action item added.");
        } catch (IllegalArgumentException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/incidents/" + id + "#actions";
    }

    @PostMapping("/incidents/{id}/review/actions/{actionId}/done")
    String completeAction(@PathVariable long id, @PathVariable long actionId, Authentication user,
            RedirectAttributes redirect) {
        IncidentSummary incident = find(id);
        try {
            reviews.completeAction(incident, actionId, user);
            redirect.addFlashAttribute("message", "Action item marked done.");
        } catch (IllegalArgumentException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/incidents/" + id + "#actions";
    }

    private IncidentSummary find(long id) {
        return incidents.summary(id).orElseThrow(() -> new ResponseStatusException(NOT_FOUND, "No incident " + id));
    }

    private static List<String> concat(List<String> list, String value) {
        List<String> all = new java.util.ArrayList<>(list);
        all.add(value);
        return all;
    }
}

package dev.assay.playbooks;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
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
import dev.assay.catalog.TeamMembership;
import dev.assay.common.PageRequest;
import dev.assay.playbooks.internal.LineDiff;
import dev.assay.playbooks.internal.RunbookMarkdown;

/**
 * The runbook pages: list with staleness and figures, a runbook with its rendered body and
 * structured parts, the editor (every save is a new version), history and the diff of two versions,
 * and starting a drill. Changes need the runbook's team (see {@link PlaybookAccess}).
 */
@Controller
class RunbookPageController {

    /** What a new runbook starts from: the schema of docs/playbooks.md, filled with placeholders. */
    static final String NEW_RUNBOOK_TEMPLATE = """
            ---
            runbook: my-service-outage
            title: My service outage
            services: [my-service]
            teams: [my-team]
            incident_types: [outage]
            review_interval_days: 90
            roles:
              - name: Incident commander
                filled_by: on-call primary
              - name: Communications
                filled_by: team lead
            escalation:
              - contact: on-call primary
                wait_minutes: 10
              - contact: engineering manager
            templates:
              - name: Status page
                audience: customers
                text: We are investigating problems with {feature} since {start_time}.
            ---
            # My service outage

            ## Checklist

            - [ ] Acknowledge the page and open the incident channel (5 min, critical)
            - [ ] Check the service dashboard (10 min)
            """;

    private final Runbooks runbooks;
    private final Drills drills;
    private final PlaybookFigures figures;
    private final PlaybookAccess access;
    private final RunbookMarkdown markdown;
    private final Catalog catalog;
    private final TeamMembership membership;

    RunbookPageController(Runbooks runbooks, Drills drills, PlaybookFigures figures, PlaybookAccess access,
            RunbookMarkdown markdown, Catalog catalog, TeamMembership membership) {
        this.runbooks = runbooks;
        this.drills = drills;
        this.figures = figures;
        this.access = access;
        this.markdown = markdown;
        this.catalog = catalog;
        this.membership = membership;
    }

    @GetMapping("/runbooks")
    String list(@RequestParam(required = false) String team, @RequestParam(required = false) String service,
            @RequestParam(required = false) String stale, Model model, Authentication user) {
        Boolean staleFilter = stale == null || stale.isBlank() ? null : Boolean.valueOf("true".equals(stale));
        List<RunbookSummary> list = runbooks.list(team, service, null, staleFilter, new PageRequest(0, PageRequest.MAX_SIZE))
                .items();
        model.addAttribute("runbooks", list);
        model.addAttribute("team", team);
        model.addAttribute("service", service);
        model.addAttribute("stale", stale);
        model.addAttribute("teams", membership.allTeamNames());
        model.addAttribute("services", runbooks.all().stream().flatMap(r -> r.services().stream()).distinct().sorted().toList());
        model.addAttribute("freshness", figures.runbookFreshness(team, service));
        model.addAttribute("coverage", figures.drillCoverage(PlaybookFigures.DRILL_WINDOW, team, service));
        model.addAttribute("undrilled", figures.drillCoverageDetail(PlaybookFigures.DRILL_WINDOW, team, service).entrySet()
                .stream().filter(e -> e.getValue() == null).map(java.util.Map.Entry::getKey).toList());
        model.addAttribute("recentDrills", drills.list(team, service, null, null, new PageRequest(0, 10)).items());
        model.addAttribute("canCreate", mayCreate(user));
        return "playbooks/runbooks";
    }

    @GetMapping("/runbooks/new")
    String newForm(Model model, Authentication user) {
        requireCreator(user);
        model.addAttribute("document", NEW_RUNBOOK_TEMPLATE);
        model.addAttribute("changeNote", "");
        return "playbooks/new";
    }

    @PostMapping("/runbooks")
    String create(@RequestParam String document, @RequestParam(required = false) String changeNote, Authentication user,
            Model model, HttpServletResponse response, RedirectAttributes redirect) {
        requireCreator(user);
        try {
            RunbookContent content = runbooks.parse(document, null);
            if (!access.canChange(user, content.teams(), content.services())) {
                throw new ResponseStatusException(HttpStatus.FORBIDDEN,
                        "You may create runbooks only for your own teams or their services");
            }
            RunbookSummary created = runbooks.create(document, changeNote, user.getName());
            redirect.addFlashAttribute("message", "Runbook created (version 1).");
            return "redirect:/runbooks/" + created.id();
        } catch (InvalidRunbookException | RunbookConflictException e) {
            response.setStatus(e instanceof InvalidRunbookException ? 400 : 409);
            model.addAttribute("document", document);
            model.addAttribute("changeNote", changeNote);
            model.addAttribute("error", e.getMessage());
            return "playbooks/new";
        }
    }

    @GetMapping("/runbooks/{id}")
    String show(@PathVariable String id, Model model, Authentication user) {
        RunbookSummary runbook = runbooks.require(id);
        return showVersion(runbook, runbooks.version(runbook, runbook.currentVersion()), model, user);
    }

    @GetMapping("/runbooks/{id}/versions/{number}")
    String showOldVersion(@PathVariable String id, @PathVariable int number, Model model, Authentication user) {
        RunbookSummary runbook = runbooks.require(id);
        return showVersion(runbook, runbooks.version(runbook, number), model, user);
    }

    private String showVersion(RunbookSummary runbook, RunbookVersion version, Model model, Authentication user) {
        model.addAttribute("runbook", runbook);
        model.addAttribute("version", version);
        model.addAttribute("content", version.content());
        model.addAttribute("bodyHtml", version.content() == null ? "" : markdown.toSafeHtml(version.content().body()));
        model.addAttribute("canChange", access.canChange(user, runbook));
        model.addAttribute("drills", drills.ofRunbook(runbook.id()));
        model.addAttribute("versions", runbooks.history(runbook.id()));
        Set<String> known = new TreeSet<>(catalog.services().stream().map(ServiceSummary::name).toList());
        Set<String> knownTeams = new TreeSet<>(membership.allTeamNames());
        model.addAttribute("unknownServices", runbook.services().stream().filter(s -> !known.contains(s)).toList());
        model.addAttribute("unknownTeams", runbook.teams().stream().filter(t -> !knownTeams.contains(t)).toList());
        model.addAttribute("owningTeams", access.owningTeams(runbook.teams(), runbook.services()));
        return "playbooks/runbook";
    }

    @GetMapping("/runbooks/{id}/edit")
    String editForm(@PathVariable String id, Model model, Authentication user) {
        RunbookSummary runbook = runbooks.require(id);
        access.requireChange(user, runbook, "edit it");
        RunbookVersion current = runbooks.version(runbook, runbook.currentVersion());
        model.addAttribute("runbook", runbook);
        model.addAttribute("document", current.document());
        model.addAttribute("baseVersion", runbook.currentVersion());
        model.addAttribute("changeNote", "");
        return "playbooks/edit";
    }

    @PostMapping("/runbooks/{id}/edit")
    String edit(@PathVariable String id, @RequestParam String document, @RequestParam(required = false) String changeNote,
            @RequestParam(required = false) Integer baseVersion, @RequestParam(defaultValue = "false") boolean reviewed,
            Authentication user, Model model, HttpServletResponse response, RedirectAttributes redirect) {
        RunbookSummary runbook = runbooks.require(id);
        access.requireChange(user, runbook, "edit it");
        try {
            RunbookContent content = runbooks.parse(document, runbook.slug());
            if (!access.canChange(user, content.teams(), content.services())) {
                throw new ResponseStatusException(HttpStatus.FORBIDDEN, "With this change runbook '" + runbook.slug()
                        + "' would belong to teams you are not in (" + String.join(", ",
                                access.owningTeams(content.teams(), content.services())) + "); SECURITY or ADMIN can hand it over");
            }
            Optional<Integer> saved = runbooks.edit(runbook.id(), document, changeNote, baseVersion, reviewed, user.getName());
            redirect.addFlashAttribute("message", saved.map(n -> "Saved as version " + n + ".")
                    .orElse(reviewed ? "No text changed; the review was recorded." : "No text changed; no new version."));
            return "redirect:/runbooks/" + runbook.id();
        } catch (InvalidRunbookException | RunbookConflictException e) {
            response.setStatus(e instanceof InvalidRunbookException ? 400 : 409);
            model.addAttribute("runbook", runbook);
            model.addAttribute("document", document);
            model.addAttribute("baseVersion", baseVersion);
            model.addAttribute("changeNote", changeNote);
            model.addAttribute("error", e.getMessage());
            return "playbooks/edit";
        }
    }

    @PostMapping("/runbooks/{id}/review")
    String review(@PathVariable String id, Authentication user, RedirectAttributes redirect) {
        RunbookSummary runbook = runbooks.require(id);
        access.requireChange(user, runbook, "mark it reviewed");
        runbooks.markReviewed(runbook.id(), user.getName());
        redirect.addFlashAttribute("message", "Review recorded.");
        return "redirect:/runbooks/" + runbook.id();
    }

    @GetMapping("/runbooks/{id}/history")
    String history(@PathVariable String id, Model model) {
        RunbookSummary runbook = runbooks.require(id);
        model.addAttribute("runbook", runbook);
        model.addAttribute("versions", runbooks.history(runbook.id()));
        return "playbooks/history";
    }

    @GetMapping("/runbooks/{id}/diff")
    String diff(@PathVariable String id, @RequestParam(required = false) Integer from,
            @RequestParam(required = false) Integer to, Model model) {
        RunbookSummary runbook = runbooks.require(id);
        int newer = to == null ? runbook.currentVersion() : to;
        int older = from == null ? Math.max(1, newer - 1) : from;
        RunbookVersion a = runbooks.version(runbook, older);
        RunbookVersion b = runbooks.version(runbook, newer);
        model.addAttribute("runbook", runbook);
        model.addAttribute("from", a.info());
        model.addAttribute("to", b.info());
        model.addAttribute("diff", LineDiff.diff(a.document(), b.document()));
        model.addAttribute("versions", runbooks.history(runbook.id()));
        return "playbooks/diff";
    }

    @PostMapping("/runbooks/{id}/drills")
    String startDrill(@PathVariable String id, @RequestParam(required = false) String kind,
            @RequestParam(required = false) Integer version, @RequestParam(required = false) String scenario,
            @RequestParam(defaultValue = "false") boolean begin, Authentication user, RedirectAttributes redirect) {
        RunbookSummary runbook = runbooks.require(id);
        access.requireChange(user, runbook, "run its drills");
        long drillId = drills.plan(runbook.id(), version, kind, scenario, begin, user.getName());
        redirect.addFlashAttribute("message", begin ? "Drill started." : "Drill planned: start it when everyone is ready.");
        return "redirect:/drills/" + drillId;
    }

    /** Creating needs a role that can own runbooks; the front matter's teams are checked on save. */
    private static boolean mayCreate(Authentication user) {
        return user != null && user.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .anyMatch(a -> Set.of("ROLE_ADMIN", "ROLE_SECURITY", "ROLE_SERVICE_OWNER", "ROLE_RESPONDER").contains(a));
    }

    private static void requireCreator(Authentication user) {
        if (!mayCreate(user)) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN,
                    "Only responders, service owners, SECURITY and ADMIN may create runbooks");
        }
    }
}

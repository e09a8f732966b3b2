package dev.assay.findings;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.assay.catalog.Catalog;
import dev.assay.catalog.ServiceSummary;
import dev.assay.catalog.TeamSummary;
import dev.assay.findings.internal.FindingAccess;
import dev.assay.findings.internal.FindingAccess.UserAccess;
import dev.assay.findings.internal.FindingConflictException;
import dev.assay.findings.internal.FindingForbiddenException;
import dev.assay.findings.internal.FindingNotFoundException;
import dev.assay.findings.internal.FindingSearch;
import dev.assay.findings.internal.FindingWorkflow;
import dev.assay.findings.internal.RiskAcceptanceExpiry;

/**
 * {@code /findings}: all findings the user may see (SECURITY, EXECUTIVE and ADMIN see every one;
 * owners and responders their teams'), a finding's page, its CSV export, and the POST of every
 * action (each checked object by object by {@link FindingWorkflow}). Redirect after POST with a
 * flash message; refusals answer 403 / 409 / 400 with the reason ({@link FindingPageErrors}).
 */
@Controller
class FindingsPageController {

    /** Bulk actions of the list pages. */
    static final String BULK_ASSIGN_TO_ME = "assign-to-me";
    static final String BULK_START = "start";
    static final String BULK_REQUEST = "request-risk-acceptance";

    private final FindingAccess access;
    private final FindingSearch search;
    private final FindingLists lists;
    private final FindingWorkflow workflow;
    private final RiskAcceptanceExpiry expiry;
    private final Catalog catalog;
    private final FindingFigures figures;

    FindingsPageController(FindingAccess access, FindingSearch search, FindingLists lists, FindingWorkflow workflow,
            RiskAcceptanceExpiry expiry, Catalog catalog, FindingFigures figures) {
        this.access = access;
        this.search = search;
        this.lists = lists;
        this.workflow = workflow;
        this.expiry = expiry;
        this.catalog = catalog;
        this.figures = figures;
    }

    @GetMapping("/findings")
    String list(@ModelAttribute("params") FindingParams params, Authentication user, Model model) {
        expiry.expireDue();
        UserAccess me = access.of(user);
        Set<String> visible = me.visibleServices();
        List<String> teams = me.seesAll() ? catalog.teams().stream().map(TeamSummary::name).toList() : List.copyOf(me.teams());
        List<String> services = me.services().values().stream().map(ServiceSummary::name)
                .filter(name -> visible == null || visible.contains(name)).sorted().toList();
        lists.populate(model, me, params, params.toFilter(null, true), "/findings", "/findings.csv", teams, services);
        model.addAttribute("seesAll", me.seesAll());
        // The figures of the filter's team / service / severity (not its status or due filters).
        SlaCompliance compliance = figures.slaCompliance(FIGURE_WINDOW, params.team(), params.service(), params.severity());
        RemediationTime remediation = figures.timeToRemediate(FIGURE_WINDOW, params.team(), params.service(), params.severity());
        model.addAttribute("compliance", compliance);
        model.addAttribute("complianceValue", compliance.ratio() == null ? "—"
                : String.format(java.util.Locale.ROOT, "%.1f%%", compliance.ratio() * 100));
        model.addAttribute("remediation", remediation);
        model.addAttribute("remediationValue", remediation.median() == null ? "—" : days(remediation.median()));
        model.addAttribute("remediationDetail", remediation.n() == 0 ? "no finding fixed in the last 90 days"
                : "median of " + remediation.n() + " fixed; p90 " + days(remediation.p90()) + ", mean " + days(remediation.mean())
                        + (remediation.excluded() > 0 ? "; " + remediation.excluded() + " closed without a fix not counted" : "")
                        + (remediation.tooFew() ? " (too few findings for a trend)" : ""));
        return "findings/list";
    }

    /** The whole filtered list as CSV (every matching row, not one page). */
    @GetMapping("/findings.csv")
    void csv(@ModelAttribute FindingParams params, Authentication user, HttpServletResponse response) throws IOException {
        expiry.expireDue();
        UserAccess me = access.of(user);
        FindingCsv.stream(response, "findings", search, me, params.toFilter(null, true), params.toSort());
    }

    @GetMapping("/findings/{id:\\d+}")
    String detail(@PathVariable long id, Authentication user, Model model) {
        expiry.expireDue();
        model.addAttribute("d", workflow.detail(access.of(user), id));
        model.addAttribute("defaultExpiry", LocalDate.now(ZoneOffset.UTC).plusDays(90).toString());
        return "findings/detail";
    }

    @PostMapping("/findings/{id:\\d+}/assign")
    String assign(@PathVariable long id, @RequestParam(required = false) String assignee, Authentication user,
            RedirectAttributes redirect) {
        workflow.assign(id, assignee, user);
        return done(redirect, id, assignee == null || assignee.isBlank() ? "Unassigned." : "Assigned to " + assignee.trim() + ".");
    }

    @PostMapping("/findings/{id:\\d+}/assign-to-me")
    String assignToMe(@PathVariable long id, Authentication user, RedirectAttributes redirect) {
        workflow.assign(id, user.getName(), user);
        return done(redirect, id, "Assigned to you.");
    }

    @PostMapping("/findings/{id:\\d+}/start")
    String start(@PathVariable long id, Authentication user, RedirectAttributes redirect) {
        workflow.start(id, user);
        return done(redirect, id, "In progress.");
    }

    @PostMapping("/findings/{id:\\d+}/stop")
    String stop(@PathVariable long id, Authentication user, RedirectAttributes redirect) {
        workflow.stop(id, user);
        return done(redirect, id, "Back to open.");
    }

    @PostMapping("/findings/{id:\\d+}/false-positive")
    String falsePositive(@PathVariable long id, @RequestParam(required = false) String reason, Authentication user,
            RedirectAttributes redirect) {
        workflow.markFalsePositive(id, reason, user);
        return done(redirect, id, "Marked as a false positive.");
    }

    @PostMapping("/findings/{id:\\d+}/reopen")
    String reopen(@PathVariable long id, @RequestParam(required = false) String reason, Authentication user,
            RedirectAttributes redirect) {
        workflow.reopen(id, reason, user);
        return done(redirect, id, "Reopened.");
    }

    @PostMapping("/findings/{id:\\d+}/risk-acceptance")
    String requestRiskAcceptance(@PathVariable long id, @RequestParam(required = false) String justification,
            @RequestParam(required = false) String expires, Authentication user, RedirectAttributes redirect) {
        workflow.requestRiskAcceptance(id, justification, expiry(expires), user);
        return done(redirect, id, "Risk acceptance requested; a SECURITY user other than you must approve it.");
    }

    @PostMapping("/findings/{id:\\d+}/comment")
    String comment(@PathVariable long id, @RequestParam(required = false) String body, Authentication user,
            RedirectAttributes redirect) {
        workflow.comment(id, body, user);
        return done(redirect, id, "Comment added.");
    }

    @PostMapping("/findings/risk-acceptances/{acceptanceId:\\d+}/approve")
    String approve(@PathVariable long acceptanceId, @RequestParam(required = false) String note,
            @RequestParam(required = false) String returnTo, Authentication user, RedirectAttributes redirect) {
        workflow.approve(acceptanceId, note, user);
        redirect.addFlashAttribute("message", "Risk acceptance " + acceptanceId + " approved.");
        return "redirect:" + safeReturn(returnTo, "/findings/approvals");
    }

    @PostMapping("/findings/risk-acceptances/{acceptanceId:\\d+}/reject")
    String reject(@PathVariable long acceptanceId, @RequestParam(required = false) String note,
            @RequestParam(required = false) String returnTo, Authentication user, RedirectAttributes redirect) {
        workflow.reject(acceptanceId, note, user);
        redirect.addFlashAttribute("message", "Risk acceptance " + acceptanceId + " rejected.");
        return "redirect:" + safeReturn(returnTo, "/findings/approvals");
    }

    @PostMapping("/findings/risk-acceptances/{acceptanceId:\\d+}/withdraw")
    String withdraw(@PathVariable long acceptanceId, @RequestParam(required = false) String returnTo, Authentication user,
            RedirectAttributes redirect) {
        workflow.withdraw(acceptanceId, user);
        redirect.addFlashAttribute("message", "Risk acceptance request " + acceptanceId + " withdrawn.");
        return "redirect:" + safeReturn(returnTo, "/findings/approvals");
    }

    /**
     * Bulk actions of the list pages: each selected finding is changed on its own (its own check,
     * its own transaction); the flash message says what was done and what was refused and why.
     */
    @PostMapping("/findings/bulk")
    String bulk(@RequestParam(required = false) List<Long> ids, @RequestParam(required = false) String action,
            @RequestParam(required = false) String justification, @RequestParam(required = false) String expires,
            @RequestParam(required = false) String returnTo, Authentication user, RedirectAttributes redirect) {
        String back = "redirect:" + safeReturn(returnTo, "/my-services/queue");
        if (!access.of(user).mayChangeAny()) {
            throw new FindingForbiddenException("Your role changes no findings (an EXECUTIVE reads everything and changes nothing)");
        }
        if (ids == null || ids.isEmpty()) {
            redirect.addFlashAttribute("error", "Select at least one finding.");
            return back;
        }
        if (action == null || !Set.of(BULK_ASSIGN_TO_ME, BULK_START, BULK_REQUEST).contains(action)) {
            throw new IllegalArgumentException("action must be one of assign-to-me, start, request-risk-acceptance");
        }
        Instant until = action.equals(BULK_REQUEST) ? expiry(expires) : null;
        List<Long> done = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (Long id : new TreeSet<>(ids)) {
            try {
                switch (action) {
                    case BULK_ASSIGN_TO_ME -> workflow.assign(id, user.getName(), user);
                    case BULK_START -> workflow.start(id, user);
                    default -> workflow.requestRiskAcceptance(id, justification, until, user);
                }
                done.add(id);
            } catch (FindingForbiddenException | FindingConflictException | FindingNotFoundException
                    | IllegalArgumentException e) {
                refused.add("#" + id + ": " + e.getMessage());
            }
        }
        String verb = switch (action) {
            case BULK_ASSIGN_TO_ME -> "Assigned to you";
            case BULK_START -> "Started";
            default -> "Risk acceptance requested for";
        };
        if (!done.isEmpty()) {
            redirect.addFlashAttribute("message", verb + ": " + done.size() + (done.size() == 1 ? " finding." : " findings."));
        }
        if (!refused.isEmpty()) {
            redirect.addFlashAttribute("error", refused.size() + " not changed — " + String.join("; ", refused));
        }
        return back;
    }

    static final String FIGURE_WINDOW = "P90D";

    private static String days(double seconds) {
        return String.format(java.util.Locale.ROOT, "%.1f days", seconds / 86_400);
    }

    /** A date (yyyy-MM-dd) from a date input: the acceptance holds through that day (UTC). */
    static Instant expiry(String expires) {
        if (expires == null || expires.isBlank()) {
            throw new IllegalArgumentException("a risk acceptance needs an expiry date");
        }
        try {
            return LocalDate.parse(expires.trim()).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("expires '" + expires + "' is not a date such as 2026-03-31");
        }
    }

    /** Only a path of the findings pages: never an open redirect to another site. */
    static String safeReturn(String returnTo, String fallback) {
        if (returnTo == null || returnTo.isBlank()) {
            return fallback;
        }
        String path = returnTo.trim();
        boolean ours = (path.startsWith("/findings") || path.startsWith("/my-services/queue")) && !path.startsWith("//")
                && !path.contains("\\") && path.chars().noneMatch(c -> c < 0x20);
        return ours ? path : fallback;
    }

    private static String done(RedirectAttributes redirect, long id, String message) {
        redirect.addFlashAttribute("message", message);
        return "redirect:/findings/" + id;
    }
}

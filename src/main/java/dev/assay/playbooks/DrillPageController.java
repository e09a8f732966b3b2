package dev.assay.playbooks;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Running a drill on a phone: one page with the steps and their Start / Complete / Skip buttons
 * and timings, plain forms (no script needed), each action redirecting back to its step. The
 * report is a separate, printable page.
 */
@Controller
class DrillPageController {

    private final Drills drills;
    private final Runbooks runbooks;
    private final PlaybookAccess access;

    DrillPageController(Drills drills, Runbooks runbooks, PlaybookAccess access) {
        this.drills = drills;
        this.runbooks = runbooks;
        this.access = access;
    }

    @GetMapping("/drills/{id}")
    String show(@PathVariable long id, Model model, Authentication user) {
        DrillDetail drill = drills.require(id);
        model.addAttribute("drill", drill);
        model.addAttribute("canRun", access.canChange(user, runbookOf(drill)));
        model.addAttribute("outcomes", Drills.OUTCOMES);
        model.addAttribute("roleRows", roleRows(drill));
        return "playbooks/drill";
    }

    @GetMapping("/drills/{id}/report")
    String report(@PathVariable long id, Model model) {
        model.addAttribute("report", drills.report(id));
        return "playbooks/report";
    }

    @PostMapping("/drills/{id}/start")
    String begin(@PathVariable long id, Authentication user, RedirectAttributes redirect) {
        requireRun(id, user);
        drills.begin(id, user.getName());
        redirect.addFlashAttribute("message", "Drill started: the clock is running.");
        return "redirect:/drills/" + id;
    }

    @PostMapping("/drills/{id}/steps/{n}/start")
    String startStep(@PathVariable long id, @PathVariable int n, Authentication user, RedirectAttributes redirect) {
        requireRun(id, user);
        drills.startStep(id, n, user.getName());
        redirect.addFlashAttribute("message", "Step " + n + " started.");
        return "redirect:/drills/" + id + "#step-" + n;
    }

    @PostMapping("/drills/{id}/steps/{n}/complete")
    String completeStep(@PathVariable long id, @PathVariable int n, @RequestParam(required = false) String notes,
            Authentication user, RedirectAttributes redirect) {
        requireRun(id, user);
        drills.completeStep(id, n, notes, user.getName());
        redirect.addFlashAttribute("message", "Step " + n + " completed.");
        return "redirect:/drills/" + id + "#step-" + n;
    }

    @PostMapping("/drills/{id}/steps/{n}/skip")
    String skipStep(@PathVariable long id, @PathVariable int n, @RequestParam(required = false) String reason,
            Authentication user, RedirectAttributes redirect) {
        requireRun(id, user);
        drills.skipStep(id, n, reason, user.getName());
        redirect.addFlashAttribute("message", "Step " + n + " skipped.");
        return "redirect:/drills/" + id + "#step-" + n;
    }

    @PostMapping("/drills/{id}/finish")
    String finish(@PathVariable long id, @RequestParam(required = false) String outcome,
            @RequestParam(required = false) String lessons, Authentication user, RedirectAttributes redirect) {
        requireRun(id, user);
        drills.finish(id, outcome, lessons, user.getName());
        redirect.addFlashAttribute("message", "Drill finished. Add follow-up actions below or open the report.");
        return "redirect:/drills/" + id;
    }

    /**
     * Role names and people come as parallel repeated fields, {@code role=...&people=a, b} per row.
     * They are read raw from the request: Spring's binding would split a lone value at its commas.
     */
    @PostMapping("/drills/{id}/participants")
    String participants(@PathVariable long id, HttpServletRequest request, Authentication user,
            RedirectAttributes redirect) {
        requireRun(id, user);
        String[] roles = request.getParameterValues("role");
        String[] people = request.getParameterValues("people");
        List<String> roleList = roles == null ? List.of() : Arrays.asList(roles);
        List<String> peopleList = people == null ? List.of() : Arrays.asList(people);
        if (roleList.size() != peopleList.size()) {
            throw new IllegalArgumentException("each role needs its people field (got " + roleList.size() + " roles and "
                    + peopleList.size() + " people fields)");
        }
        if (roleList.size() > 60) {
            throw new IllegalArgumentException("at most 60 roles can be assigned");
        }
        Map<String, List<String>> assignments = new LinkedHashMap<>();
        for (int i = 0; i < roleList.size(); i++) {
            List<String> names = new ArrayList<>();
            for (String name : peopleList.get(i).split(",")) {
                if (!name.isBlank()) {
                    names.add(name.strip());
                }
            }
            String role = roleList.get(i) == null ? "" : roleList.get(i).strip();
            if (!role.isEmpty()) {
                assignments.computeIfAbsent(role, r -> new ArrayList<>()).addAll(names);
            } else if (!names.isEmpty()) {
                throw new IllegalArgumentException("people were given without a role name");
            }
        }
        drills.assignParticipants(id, assignments, user.getName());
        redirect.addFlashAttribute("message", "Participants saved.");
        return "redirect:/drills/" + id + "#participants";
    }

    @PostMapping("/drills/{id}/actions")
    String raiseAction(@PathVariable long id, @RequestParam(required = false) String title,
            @RequestParam(required = false) String owner, @RequestParam(required = false) String due,
            Authentication user, RedirectAttributes redirect) {
        requireRun(id, user);
        LocalDate dueOn;
        try {
            dueOn = due == null || due.isBlank() ? null : LocalDate.parse(due.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("the due date must be a date such as 2026-03-31");
        }
        drills.raiseAction(id, title, owner, dueOn, user.getName());
        redirect.addFlashAttribute("message", "Follow-up action raised.");
        return "redirect:/drills/" + id + "#actions";
    }

    private void requireRun(long drillId, Authentication user) {
        DrillDetail drill = drills.require(drillId);
        access.requireChange(user, runbookOf(drill), "run its drills");
    }

    private RunbookSummary runbookOf(DrillDetail drill) {
        return runbooks.find(drill.runbookId()).orElseThrow(() -> new PlaybookNotFoundException("No runbook " + drill.runbookId()));
    }

    /** The runbook's roles with who fills them, then roles only this drill has, then one empty row. */
    private static List<Map.Entry<String, String>> roleRows(DrillDetail drill) {
        List<Map.Entry<String, String>> rows = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (String role : drill.roleNames()) {
            rows.add(Map.entry(role, String.join(", ", drill.participantsOf(role))));
            seen.add(role);
        }
        drill.participants().stream().map(DrillDetail.Participant::role).distinct().filter(r -> !seen.contains(r))
                .forEach(r -> rows.add(Map.entry(r, String.join(", ", drill.participantsOf(r)))));
        rows.add(Map.entry("", ""));
        return rows;
    }
}

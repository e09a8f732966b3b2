package dev.assay.collect;

import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.assay.common.PageRequest;

/** Admin → Jobs and Admin → Quarantine: sources, "collect now", executions and rejected records. */
@Controller
class CollectAdminController {

    private final Sources sources;
    private final CollectionLauncher launcher;
    private final JobExecutions executions;
    private final Quarantine quarantine;
    private final Cursors cursors;

    CollectAdminController(Sources sources, CollectionLauncher launcher, JobExecutions executions, Quarantine quarantine,
            Cursors cursors) {
        this.sources = sources;
        this.launcher = launcher;
        this.executions = executions;
        this.quarantine = quarantine;
        this.cursors = cursors;
    }

    @GetMapping("/admin/jobs")
    String jobs(Model model) {
        List<JobStatus> recent = executions.recent(50);
        Map<SourceDefinition, JobStatus> latest = new LinkedHashMap<>();
        for (SourceDefinition source : sources.all()) {
            latest.put(source, executions.latestForSource(source.id(), recent).orElse(null));
        }
        model.addAttribute("sources", latest);
        model.addAttribute("collectable", sources.all().stream().filter(s -> launcher.hasType(s.type()))
                .map(SourceDefinition::id).toList());
        model.addAttribute("executions", recent);
        return "collect/jobs";
    }

    @PostMapping("/admin/jobs/collect")
    String collect(@RequestParam String sourceId, Principal principal, RedirectAttributes redirect) {
        try {
            long id = launcher.launch(sourceId, principal.getName());
            redirect.addFlashAttribute("message", "Collection of " + sourceId + " started (job execution " + id + ").");
        } catch (UnknownSourceException | CollectionAlreadyRunningException | CollectionUnavailableException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/admin/jobs";
    }

    @GetMapping("/admin/quarantine")
    String quarantine(@RequestParam(required = false) String source, @RequestParam(defaultValue = Quarantine.OPEN) String status,
            @RequestParam(defaultValue = "0") int page, Model model) {
        model.addAttribute("result", quarantine.list(source, status, new PageRequest(Math.max(page, 0), 50)));
        model.addAttribute("status", status);
        model.addAttribute("source", source);
        return "collect/quarantine";
    }

    @GetMapping("/admin/quarantine/{id}")
    String quarantined(@PathVariable long id, Model model) {
        model.addAttribute("record", quarantine.find(id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No quarantined record " + id)));
        return "collect/quarantined";
    }

    @PostMapping("/admin/quarantine/{id}/dismiss")
    String dismiss(@PathVariable long id, Principal principal, RedirectAttributes redirect) {
        redirect.addFlashAttribute("message", quarantine.dismiss(id, principal.getName())
                ? "Record dismissed." : "Record was not open.");
        return "redirect:/admin/quarantine";
    }

    /**
     * Retries a quarantined record: forgets the cursor of the file it came from and collects its
     * source again, so a record rejected because of something since fixed (a missing team, a
     * parser bug) is read once more. A record that fails again stays in quarantine.
     */
    @PostMapping("/admin/quarantine/{id}/retry")
    String retry(@PathVariable long id, Principal principal, RedirectAttributes redirect) {
        QuarantinedRecord record = quarantine.find(id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No quarantined record " + id));
        String file = record.location().replaceFirst("#\\d+$", "");
        cursors.forget(record.sourceId(), "file:" + file);
        try {
            long execution = launcher.launch(record.sourceId(), principal.getName());
            redirect.addFlashAttribute("message", "Collecting " + record.sourceId() + " again (job execution " + execution + ").");
        } catch (RuntimeException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/admin/quarantine";
    }
}

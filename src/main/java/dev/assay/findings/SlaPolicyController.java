package dev.assay.findings;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.assay.findings.internal.FindingAccess;
import dev.assay.findings.internal.SlaPolicies;

/** {@code /findings/sla}: the SLA policy, readable by everyone, changed by SECURITY only. */
@Controller
class SlaPolicyController {

    private final SlaPolicies policies;
    private final FindingAccess access;

    SlaPolicyController(SlaPolicies policies, FindingAccess access) {
        this.policies = policies;
        this.access = access;
    }

    @GetMapping("/findings/sla")
    String policy(Authentication user, Model model) {
        model.addAttribute("rules", policies.rules());
        model.addAttribute("canEdit", access.of(user).isSecurity());
        model.addAttribute("severities", java.util.Arrays.stream(Severity.values()).map(Severity::slug).toList());
        model.addAttribute("maxDays", SlaPolicies.MAX_DAYS);
        return "findings/sla";
    }

    @PostMapping("/findings/sla")
    String set(@RequestParam(required = false) String severity, @RequestParam(required = false) Integer tier,
            @RequestParam(required = false) Integer days, Authentication user, RedirectAttributes redirect) {
        if (days == null) {
            throw new IllegalArgumentException("days is required");
        }
        int changed = policies.set(Severity.parse(severity), tier == null ? 0 : tier, days, user);
        redirect.addFlashAttribute("message", "SLA saved; the due dates of " + changed + " finding(s) changed.");
        return "redirect:/findings/sla";
    }

    @PostMapping("/findings/sla/remove")
    String remove(@RequestParam(required = false) String severity, @RequestParam(required = false) Integer tier,
            Authentication user, RedirectAttributes redirect) {
        int changed = policies.removeOverride(Severity.parse(severity), tier == null ? 0 : tier, user);
        redirect.addFlashAttribute("message", "Override removed; the due dates of " + changed + " finding(s) changed.");
        return "redirect:/findings/sla";
    }
}

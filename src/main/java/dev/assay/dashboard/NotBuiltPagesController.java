package dev.assay.dashboard;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** Navigation targets whose features are not built yet: they say so plainly instead of a blank page. */
@Controller
class NotBuiltPagesController {

    @GetMapping("/incidents")
    String incidents(Model model) {
        return notBuilt(model, "Incidents", "Incident collection (PagerDuty, Opsgenie, Jira) and MTTD / MTTR are not built yet.");
    }

    private static String notBuilt(Model model, String title, String explanation) {
        model.addAttribute("pageTitle", title);
        model.addAttribute("explanation", explanation);
        return "dashboard/not-built";
    }
}

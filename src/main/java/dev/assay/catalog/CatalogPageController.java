package dev.assay.catalog;

import static org.springframework.http.HttpStatus.FORBIDDEN;
import static org.springframework.http.HttpStatus.NOT_FOUND;

import java.util.List;
import java.util.regex.Pattern;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The catalog pages: teams list, team page, service page, and the owner's "My services". */
@Controller
class CatalogPageController {

    /** An e-mail address, a chat handle or a rotation name: printable, no markup, at most 300 characters. */
    private static final Pattern CONTACT = Pattern.compile("[\\p{L}\\p{N} @._+:#/()-]{3,300}");

    private final Catalog catalog;
    private final ServiceOwnership ownership;

    CatalogPageController(Catalog catalog, ServiceOwnership ownership) {
        this.catalog = catalog;
        this.ownership = ownership;
    }

    @GetMapping("/teams")
    String teams(Model model) {
        model.addAttribute("teams", catalog.teams());
        model.addAttribute("coverage", catalog.ownershipCoverage(null, null));
        model.addAttribute("gaps", catalog.ownershipGaps(null));
        return "catalog/teams";
    }

    @GetMapping("/teams/{name}")
    String team(@PathVariable String name, Model model) {
        TeamDetail team = catalog.team(name).orElseThrow(() -> new ResponseStatusException(NOT_FOUND, "No team " + name));
        model.addAttribute("detail", team);
        model.addAttribute("gaps", catalog.ownershipGaps(name));
        return "catalog/team";
    }

    @GetMapping("/services/{name}")
    String service(@PathVariable String name, Model model, Authentication user) {
        ServiceDetail detail = catalog.service(name).orElseThrow(() -> new ResponseStatusException(NOT_FOUND, "No service " + name));
        model.addAttribute("detail", detail);
        model.addAttribute("canEdit", ownership.canChange(user, detail.service()));
        return "catalog/service";
    }

    /**
     * Sets the escalation contact Assay uses when the catalog names none. Only the owning team
     * (or an ADMIN / SECURITY user) may change it.
     */
    @PostMapping("/services/{name}/escalation")
    String setEscalation(@PathVariable String name, @RequestParam String contact, Authentication user,
            RedirectAttributes redirect) {
        ServiceDetail detail = catalog.service(name).orElseThrow(() -> new ResponseStatusException(NOT_FOUND, "No service " + name));
        if (!ownership.canChange(user, detail.service())) {
            throw new ResponseStatusException(FORBIDDEN, "Only the team that owns " + name + " can change it");
        }
        String value = contact.strip();
        if (!value.isEmpty() && !CONTACT.matcher(value).matches()) {
            redirect.addFlashAttribute("error", "The contact must be 3 to 300 letters, digits, spaces or @ . _ + : # / ( ) -");
            return "redirect:/services/" + name;
        }
        ownership.setManualEscalation(name, value.isEmpty() ? null : value, user.getName());
        redirect.addFlashAttribute("message", "Escalation contact saved.");
        return "redirect:/services/" + name;
    }

    @GetMapping("/my-services")
    String myServices(Model model, Authentication user) {
        List<String> teams = List.copyOf(ownership.teamsOf(user.getName()));
        model.addAttribute("teams", teams);
        model.addAttribute("services", catalog.services().stream()
                .filter(s -> s.owningTeam() != null && teams.contains(s.owningTeam())).toList());
        return "catalog/my-services";
    }
}

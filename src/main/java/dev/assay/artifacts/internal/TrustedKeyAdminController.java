package dev.assay.artifacts.internal;

import java.security.Principal;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.assay.catalog.Catalog;

/**
 * {@code /admin/trusted-keys}: the public keys Assay verifies artifact signatures with, and the
 * keyless (Sigstore) signer identities it trusts, for the organisation, a team or a service (ADMIN
 * only, by the URL rules). Every change is audited and stored signatures are verified again at once.
 */
@Controller
class TrustedKeyAdminController {

    private final TrustedKeys keys;
    private final Catalog catalog;

    TrustedKeyAdminController(TrustedKeys keys, Catalog catalog) {
        this.keys = keys;
        this.catalog = catalog;
    }

    @GetMapping("/admin/trusted-keys")
    String list(Model model) {
        model.addAttribute("keys", keys.list());
        model.addAttribute("identities", keys.listIdentities());
        model.addAttribute("teams", catalog.teams().stream().map(t -> t.name()).toList());
        model.addAttribute("services", catalog.services().stream().map(s -> s.name()).toList());
        return "artifacts/trusted-keys";
    }

    @PostMapping("/admin/trusted-keys")
    String add(@RequestParam String name, @RequestParam String scope, @RequestParam(required = false) String team,
            @RequestParam(required = false) String service, @RequestParam String pem, Principal principal,
            RedirectAttributes redirect) {
        String scopeName = TrustedKeys.TEAM.equals(scope) ? team : TrustedKeys.SERVICE.equals(scope) ? service : null;
        try {
            var added = keys.add(name, scope, scopeName, pem, principal.getName());
            redirect.addFlashAttribute("message", "Trusted " + added.algorithm() + " key " + added.name() + " (sha256 "
                    + added.fingerprint().substring(0, 16) + "…) added; stored signatures were verified again.");
        } catch (IllegalArgumentException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/admin/trusted-keys";
    }

    @PostMapping("/admin/trusted-keys/{id}/delete")
    String remove(@PathVariable long id, Principal principal, RedirectAttributes redirect) {
        if (keys.remove(id, principal.getName())) {
            redirect.addFlashAttribute("message", "Key removed; stored signatures were verified again.");
        } else {
            redirect.addFlashAttribute("error", "No trusted key " + id);
        }
        return "redirect:/admin/trusted-keys";
    }

    @PostMapping("/admin/trusted-keys/identities")
    String addIdentity(@RequestParam String issuer, @RequestParam String subject, @RequestParam(defaultValue = "exact") String match,
            @RequestParam String scope, @RequestParam(required = false) String team, @RequestParam(required = false) String service,
            Principal principal, RedirectAttributes redirect) {
        String scopeName = TrustedKeys.TEAM.equals(scope) ? team : TrustedKeys.SERVICE.equals(scope) ? service : null;
        try {
            var added = keys.addIdentity(issuer, subject, "regex".equals(match), scope, scopeName, principal.getName());
            redirect.addFlashAttribute("message", "Keyless signer " + added.subjectMatch() + " (issuer " + added.issuer()
                    + ") trusted; stored signatures were verified again.");
        } catch (IllegalArgumentException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/admin/trusted-keys";
    }

    @PostMapping("/admin/trusted-keys/identities/{id}/delete")
    String removeIdentity(@PathVariable long id, Principal principal, RedirectAttributes redirect) {
        if (keys.removeIdentity(id, principal.getName())) {
            redirect.addFlashAttribute("message", "Keyless signer removed; stored signatures were verified again.");
        } else {
            redirect.addFlashAttribute("error", "No trusted keyless signer " + id);
        }
        return "redirect:/admin/trusted-keys";
    }
}

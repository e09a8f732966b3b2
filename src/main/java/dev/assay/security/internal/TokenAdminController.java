package dev.assay.security.internal;

import java.security.Principal;
import java.util.Map;
import java.util.Set;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.assay.security.ApiScope;

/**
 * Admin page for API tokens. A new token's secret travels to the page after the redirect as a
 * flash attribute (kept in the session for exactly one request) and is shown once; the page, like
 * every page, is sent with {@code Cache-Control: no-store}.
 */
@Controller
class TokenAdminController {

    private static final String VIEW = "security/tokens";

    private final ApiTokens tokens;

    TokenAdminController(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @GetMapping("/admin/tokens")
    String initCreationForm(Model model) {
        return show(model, "", Set.of(ApiScope.READ), null, Map.of());
    }

    @PostMapping("/admin/tokens")
    String processCreationForm(@RequestParam(defaultValue = "") String name,
            @RequestParam(required = false) Set<ApiScope> scopes, @RequestParam(required = false) Integer expiryDays,
            Principal principal, Model model, RedirectAttributes redirect) {
        IssuedApiToken issued;
        try {
            issued = tokens.create(name, scopes, expiryDays, principal.getName());
        } catch (InvalidInput e) {
            model.addAttribute("error", "The token was not created: correct the fields marked below.");
            return show(model, name, scopes == null ? Set.of() : scopes, expiryDays, e.fieldErrors());
        }
        redirect.addFlashAttribute("newToken", issued.secret());
        redirect.addFlashAttribute("newTokenName", issued.token().name());
        return "redirect:/admin/tokens";
    }

    @PostMapping("/admin/tokens/{id}/revoke")
    String revoke(@PathVariable long id, Principal principal, RedirectAttributes redirect) {
        try {
            tokens.revoke(id, principal.getName());
            redirect.addFlashAttribute("message", "Token revoked: requests using it are now refused.");
        } catch (InvalidInput e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/admin/tokens";
    }

    private String show(Model model, String name, Set<ApiScope> scopes, Integer expiryDays,
            Map<String, String> fieldErrors) {
        model.addAttribute("tokens", tokens.all());
        model.addAttribute("allScopes", ApiScope.values());
        model.addAttribute("name", name);
        model.addAttribute("scopes", scopes);
        model.addAttribute("expiryDays", expiryDays);
        model.addAttribute("maxExpiryDays", ApiTokens.MAX_EXPIRY_DAYS);
        model.addAttribute("fieldErrors", fieldErrors);
        return VIEW;
    }
}

package dev.assay.security.internal;

import java.security.Principal;
import java.util.Map;
import java.util.Set;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.assay.security.Role;

/**
 * Admin pages for users: the list with a creation form, and one page per user to change roles,
 * teams, enabled state and password, or lift a lock. Every change redirects (POST-redirect-GET)
 * with a flash message; a refused change says why.
 */
@Controller
class UserAdminController {

    private static final String LIST_VIEW = "security/users";
    private static final String USER_VIEW = "security/user";

    private final UserAdministration administration;
    private final PasswordPolicy policy;

    UserAdminController(UserAdministration administration, PasswordPolicy policy) {
        this.administration = administration;
        this.policy = policy;
    }

    @ModelAttribute("allRoles")
    Role[] allRoles() {
        return Role.values();
    }

    @ModelAttribute("passwordMinLength")
    int passwordMinLength() {
        return policy.minLength();
    }

    @GetMapping("/admin/users")
    String initCreationForm(Model model) {
        return showList(model, NewUser.empty(), Map.of());
    }

    @PostMapping("/admin/users")
    String processCreationForm(@ModelAttribute("form") NewUser form, Principal principal, Model model,
            RedirectAttributes redirect) {
        try {
            administration.create(form, principal.getName());
        } catch (InvalidInput e) {
            model.addAttribute("error", "The user was not created: correct the fields marked below.");
            return showList(model, form.withoutPassword(), e.fieldErrors());
        }
        redirect.addFlashAttribute("message", "User '" + form.username().trim() + "' created.");
        return "redirect:/admin/users/" + form.username().trim();
    }

    @GetMapping("/admin/users/{username}")
    String show(@PathVariable String username, Model model) {
        model.addAttribute("user", administration.get(username));
        model.addAttribute("allTeams", administration.allTeamNames());
        return USER_VIEW;
    }

    @PostMapping("/admin/users/{username}/roles")
    String changeRoles(@PathVariable String username, @RequestParam(required = false) Set<Role> roles,
            Principal principal, RedirectAttributes redirect) {
        return change(username, redirect, "Roles saved.",
                () -> administration.changeRoles(username, roles, principal.getName()));
    }

    @PostMapping("/admin/users/{username}/teams")
    String assignTeams(@PathVariable String username, @RequestParam(required = false) Set<String> teams,
            Principal principal, RedirectAttributes redirect) {
        return change(username, redirect, "Teams saved.",
                () -> administration.assignTeams(username, teams, principal.getName()));
    }

    @PostMapping("/admin/users/{username}/enabled")
    String setEnabled(@PathVariable String username, @RequestParam boolean enabled, Principal principal,
            RedirectAttributes redirect) {
        return change(username, redirect, enabled ? "User enabled." : "User disabled; their sessions were ended.",
                () -> administration.setEnabled(username, enabled, principal.getName()));
    }

    @PostMapping("/admin/users/{username}/password")
    String resetPassword(@PathVariable String username, @RequestParam(defaultValue = "") String password,
            Principal principal, RedirectAttributes redirect) {
        return change(username, redirect, "Password reset.",
                () -> administration.resetPassword(username, password, principal.getName()));
    }

    @PostMapping("/admin/users/{username}/unlock")
    String unlock(@PathVariable String username, Principal principal, RedirectAttributes redirect) {
        return change(username, redirect, "Lock lifted.", () -> administration.unlock(username, principal.getName()));
    }

    @ExceptionHandler(UnknownUserException.class)
    @ResponseStatus(HttpStatus.NOT_FOUND)
    String unknownUser(UnknownUserException e, Model model) {
        model.addAttribute("message", e.getMessage());
        return "security/not-found";
    }

    private String showList(Model model, NewUser form, Map<String, String> fieldErrors) {
        model.addAttribute("users", administration.overview());
        model.addAttribute("allTeams", administration.allTeamNames());
        model.addAttribute("form", form);
        model.addAttribute("fieldErrors", fieldErrors);
        return LIST_VIEW;
    }

    private String change(String username, RedirectAttributes redirect, String success, Runnable action) {
        try {
            action.run();
            redirect.addFlashAttribute("message", success);
        } catch (InvalidInput e) {
            redirect.addFlashAttribute("error", e.getMessage());
            redirect.addFlashAttribute("fieldErrors", e.fieldErrors());
        }
        return "redirect:/admin/users/{username}";
    }
}

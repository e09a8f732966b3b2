package dev.assay.security.internal;

import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The sign-in page. Whatever went wrong (wrong password, unknown user, locked or disabled account,
 * throttled client) it shows the same message, so the page cannot be used to find out which
 * usernames exist. POST /login and /logout are handled by Spring Security's filters.
 */
@Controller
class LoginController {

    /** One link per configured OIDC provider: {@code /oauth2/authorization/<registration id>}. */
    record ProviderLink(String name, String url) {
    }

    private final ObjectProvider<ClientRegistrationRepository> clientRegistrations;

    LoginController(ObjectProvider<ClientRegistrationRepository> clientRegistrations) {
        this.clientRegistrations = clientRegistrations;
    }

    @GetMapping("/login")
    String login(@RequestParam(required = false) String error, @RequestParam(required = false) String logout,
            @RequestParam(required = false) String expired, Model model) {
        model.addAttribute("failed", error != null);
        model.addAttribute("loggedOut", logout != null);
        model.addAttribute("expired", expired != null);
        model.addAttribute("providers", providers());
        return "security/login";
    }

    private List<ProviderLink> providers() {
        List<ProviderLink> links = new ArrayList<>();
        // Boot's repository is iterable; a custom one that is not simply gets no links.
        if (clientRegistrations.getIfAvailable() instanceof Iterable<?> registrations) {
            for (Object item : registrations) {
                if (item instanceof ClientRegistration registration) {
                    String name = registration.getClientName() == null || registration.getClientName().isBlank()
                            ? registration.getRegistrationId() : registration.getClientName();
                    links.add(new ProviderLink(name, "/oauth2/authorization/" + registration.getRegistrationId()));
                }
            }
        }
        return links;
    }
}

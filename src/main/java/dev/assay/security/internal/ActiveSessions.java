package dev.assay.security.internal;

import java.security.Principal;

import org.springframework.security.core.AuthenticatedPrincipal;
import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.stereotype.Component;

/**
 * Ends the sessions of a user whose access an admin just changed (disabled, roles changed,
 * password reset): a session carries the authorities of the moment of login, so without this a
 * disabled user would keep working until the session times out. The next request of an ended
 * session is sent to {@code /login?expired}.
 */
@Component
public class ActiveSessions {

    private final SessionRegistry registry;

    ActiveSessions(SessionRegistry registry) {
        this.registry = registry;
    }

    public void endAllOf(String username) {
        for (Object principal : registry.getAllPrincipals()) {
            if (username.equals(nameOf(principal))) {
                registry.getAllSessions(principal, false).forEach(SessionInformation::expireNow);
            }
        }
    }

    private static String nameOf(Object principal) {
        if (principal instanceof UserDetails user) {
            return user.getUsername();
        }
        if (principal instanceof AuthenticatedPrincipal authenticated) {
            return authenticated.getName();
        }
        if (principal instanceof Principal plain) {
            return plain.getName();
        }
        return String.valueOf(principal);
    }
}

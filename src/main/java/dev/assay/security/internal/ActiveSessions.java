package dev.assay.security.internal;

import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.stereotype.Component;

/**
 * Ends the sessions of a user whose access an admin just changed (disabled, roles changed,
 * password reset): a session carries the authorities of the moment of login, so without this a
 * disabled user would keep working until the session times out. The next request of an ended
 * session is sent to {@code /login?expired}.
 * <p>
 * Sessions live in the database (Spring Session JDBC, indexed by principal name): the registry finds
 * the user's sessions there and marks them expired there, so the end holds on every instance.
 */
@Component
public class ActiveSessions {

    private final SessionRegistry registry;

    ActiveSessions(SessionRegistry registry) {
        this.registry = registry;
    }

    public void endAllOf(String username) {
        registry.getAllSessions(username, false).forEach(SessionInformation::expireNow);
    }
}

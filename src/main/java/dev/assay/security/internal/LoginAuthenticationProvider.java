package dev.assay.security.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;

import dev.assay.common.AuditEvent;
import dev.assay.security.AuditLog;

/**
 * Username and password login, with the throttling DESIGN §6 asks for:
 * <ul>
 * <li>per account: {@code login-max-failures} consecutive failures lock it for {@code login-lockout}
 * (columns {@code failed_logins}, {@code locked_until}); a successful login resets the count;</li>
 * <li>per client address: {@link ClientLoginLimiter}.</li>
 * </ul>
 * Every refusal throws the same exception and the login page shows one message for all of them, and a
 * password hash is computed on every path (a dummy one for unknown users): neither the answer nor its
 * timing tells whether a username exists, is locked or is disabled. Every attempt is audited
 * ({@code login.succeeded}, {@code login.failed}, {@code login.locked}).
 * <p>
 * This is the only {@code AuthenticationProvider} bean: Spring Security then makes it the global one
 * and builds no other password login (adding a second provider bean would switch that off, failing
 * closed: nobody could sign in with a password).
 */
@Component
public class LoginAuthenticationProvider implements AuthenticationProvider {

    static final String ENTITY_TYPE = "user";
    private static final int MAX_USERNAME = 100;

    private final Users users;
    private final AccountUserDetailsService accounts;
    private final PasswordEncoder passwords;
    private final ClientLoginLimiter clients;
    private final AuditLog audit;
    private final AuditJson json;
    private final SecuritySettings settings;
    /** Compared against when there is no real hash, so a refusal costs the same time as a wrong password. */
    private final String dummyHash;

    LoginAuthenticationProvider(Users users, PasswordEncoder passwords, ClientLoginLimiter clients, AuditLog audit,
            AuditJson json, SecuritySettings settings, Clock clock) {
        this.users = users;
        this.accounts = new AccountUserDetailsService(users, clock);
        this.passwords = passwords;
        this.clients = clients;
        this.audit = audit;
        this.json = json;
        this.settings = settings;
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        this.dummyHash = passwords.encode(Base64.getEncoder().encodeToString(random));
    }

    @Override
    public Authentication authenticate(Authentication attempt) throws AuthenticationException {
        // Usernames are lower case ([a-z0-9._-]); people type "Alice".
        String username = attempt.getName() == null ? "" : attempt.getName().trim().toLowerCase(Locale.ROOT);
        if (username.length() > MAX_USERNAME) {
            username = username.substring(0, MAX_USERNAME);
        }
        String password = attempt.getCredentials() == null ? "" : attempt.getCredentials().toString();
        String client = attempt.getDetails() instanceof WebAuthenticationDetails web && web.getRemoteAddress() != null
                ? web.getRemoteAddress() : "unknown";

        if (clients.isBlocked(client)) {
            passwords.matches(password, dummyHash);
            throw refuse("login.failed", username, client, "client-throttled", null);
        }
        UserDetails user;
        try {
            user = accounts.loadUserByUsername(username);
        } catch (UsernameNotFoundException e) {
            passwords.matches(password, dummyHash);
            clients.recordFailure(client);
            throw refuse("login.failed", username, client, "unknown-user", null);
        }
        boolean hasPassword = !user.getPassword().isEmpty();
        boolean passwordMatches = passwords.matches(password, hasPassword ? user.getPassword() : dummyHash) && hasPassword;

        if (!user.isAccountNonLocked()) {
            // Attempts during a lock are not counted: the lock has a fixed end the owner can rely on.
            if (!passwordMatches) {
                clients.recordFailure(client);
            }
            throw refuse("login.locked", username, client, "account-locked", null);
        }
        if (!user.isEnabled()) {
            clients.recordFailure(client);
            throw refuse("login.failed", username, client, "disabled", null);
        }
        if (!passwordMatches) {
            clients.recordFailure(client);
            Users.FailedLogin failure = users.recordFailure(username, settings.loginMaxFailures(), settings.loginLockout());
            if (failure.locked()) {
                throw refuse("login.locked", username, client, "too-many-failures", failure);
            }
            throw refuse("login.failed", username, client, "bad-credentials", failure);
        }

        users.clearFailures(username);
        audit.record(new AuditEvent(username, "login.succeeded", ENTITY_TYPE, username, null,
                json.of(Map.of("method", "password", "client", client))));
        // The principal carries no password: it lives in the session for hours.
        UserDetails principal = User.withUsername(user.getUsername()).password("").authorities(user.getAuthorities())
                .build();
        UsernamePasswordAuthenticationToken result = UsernamePasswordAuthenticationToken.authenticated(principal, null,
                principal.getAuthorities());
        result.setDetails(attempt.getDetails());
        return result;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    private BadCredentialsException refuse(String action, String username, String client, String reason,
            Users.FailedLogin failure) {
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("reason", reason);
        after.put("client", client);
        if (failure != null) {
            after.put("failedLogins", failure.failedLogins());
            if (failure.locked()) {
                after.put("lockedUntil", failure.lockedUntil().toString());
            }
        }
        audit.record(new AuditEvent(username.isEmpty() ? "anonymous" : username, action, ENTITY_TYPE,
                username.isEmpty() ? null : username, null, json.of(after)));
        // One message for every refusal; the login page does not even show it (it shows its own generic text).
        return new BadCredentialsException("Bad credentials");
    }
}

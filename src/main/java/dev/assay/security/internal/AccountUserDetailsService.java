package dev.assay.security.internal;

import java.time.Clock;

import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

import dev.assay.security.Role;

/**
 * Spring Security's view of an Assay user: the stored hash, the roles as authorities, disabled
 * and locked flags (locked while {@code locked_until} is in the future on the application clock).
 * <p>
 * Deliberately not a bean: Spring Security would build a second, unthrottled password login
 * (a {@code DaoAuthenticationProvider}) from a {@code UserDetailsService} bean. Only
 * {@link LoginAuthenticationProvider} uses it, so every password check is counted and throttled.
 */
public final class AccountUserDetailsService implements UserDetailsService {

    private final Users users;
    private final Clock clock;

    public AccountUserDetailsService(Users users, Clock clock) {
        this.users = users;
        this.clock = clock;
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        UserAccount account = users.find(username)
                .orElseThrow(() -> new UsernameNotFoundException("No such user"));
        return User.withUsername(account.username())
                // "" for users without a password (OIDC only): it never matches, see LoginAuthenticationProvider.
                .password(users.passwordHashOf(account.username()).orElse(""))
                .disabled(!account.enabled())
                .accountLocked(account.lockedAt(clock.instant()))
                .authorities(account.roles().stream().map(Role::authority).map(SimpleGrantedAuthority::new).toList())
                .build();
    }
}

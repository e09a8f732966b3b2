package dev.assay.security.internal;

import java.time.Instant;
import java.util.Set;

import dev.assay.security.Role;

/**
 * A user as the rest of the feature sees it. The password hash is deliberately not part of it
 * ({@link Users#passwordHashOf}): a record that travels to views and logs must not carry it.
 */
public record UserAccount(long id, String username, String displayName, boolean enabled, int failedLogins,
        Instant lockedUntil, Instant createdAt, Set<Role> roles) {

    public UserAccount {
        roles = Set.copyOf(roles);
    }

    public boolean lockedAt(Instant now) {
        return lockedUntil != null && lockedUntil.isAfter(now);
    }
}

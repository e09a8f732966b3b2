package dev.assay.security.internal;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

import dev.assay.security.Role;

/**
 * A user as the admin pages show it: roles, teams from both origins ({@code teams}) and those an admin
 * assigned in Assay ({@code assignedTeams}, the editable part), and whether the account is locked now.
 * Times are UTC.
 */
public record UserRow(String username, String displayName, List<Role> roles, Set<String> teams,
        Set<String> assignedTeams, boolean enabled, boolean locked, OffsetDateTime lockedUntil, int failedLogins,
        boolean hasPassword, OffsetDateTime createdAt) {

    public boolean hasRole(Role role) {
        return roles.contains(role);
    }
}

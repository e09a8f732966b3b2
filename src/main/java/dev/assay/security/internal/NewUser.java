package dev.assay.security.internal;

import java.util.Set;

import dev.assay.security.Role;

/**
 * A user to create, as the admin form sends it (also the form's backing object: fields the browser
 * leaves out, such as unticked role boxes, arrive as null).
 */
public record NewUser(String username, String displayName, String password, Set<Role> roles, Set<String> teams) {

    public static NewUser empty() {
        return new NewUser("", "", "", Set.of(), Set.of());
    }

    public Set<Role> rolesOrNone() {
        return roles == null ? Set.of() : roles;
    }

    public Set<String> teamsOrNone() {
        return teams == null ? Set.of() : teams;
    }

    /** The same form without the password, to show again after a refusal (a password is never sent back to the browser). */
    public NewUser withoutPassword() {
        return new NewUser(username, displayName, "", roles, teams);
    }

    @Override
    public String toString() {
        return "NewUser[username=" + username + ", roles=" + roles + ", teams=" + teams + "]";
    }
}

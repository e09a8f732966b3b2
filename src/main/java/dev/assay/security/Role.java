package dev.assay.security;

import java.util.Arrays;
import java.util.Optional;

/**
 * The roles of a person signed in to the portal (DESIGN §6). Object-level rules (which team's
 * services someone may change) are checked by the features; the role only opens the door.
 */
public enum Role {

    /** Users, sources, tokens, jobs. */
    ADMIN,
    /** SLA policy, approving risk acceptances, all findings. */
    SECURITY,
    /** Reads everything, changes nothing. */
    EXECUTIVE,
    /** Changes the findings and runbooks of services owned by their teams only. */
    SERVICE_OWNER,
    /** Runs drills, edits the runbooks of their teams. */
    RESPONDER;

    private static final String PREFIX = "ROLE_";

    /** The Spring Security authority, e.g. {@code ROLE_ADMIN}. */
    public String authority() {
        return PREFIX + name();
    }

    /** The role an authority names, if it names one ({@code SCOPE_read} names none). */
    public static Optional<Role> fromAuthority(String authority) {
        if (authority == null || !authority.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String name = authority.substring(PREFIX.length());
        return Arrays.stream(values()).filter(r -> r.name().equals(name)).findFirst();
    }

    /** The authorities of every role: what "any signed-in person with a role" means in the URL rules. */
    public static String[] allAuthorities() {
        return Arrays.stream(values()).map(Role::authority).toArray(String[]::new);
    }
}

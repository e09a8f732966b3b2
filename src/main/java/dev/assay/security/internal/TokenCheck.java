package dev.assay.security.internal;

import java.util.LinkedHashSet;
import java.util.Set;

import dev.assay.security.ApiScope;

/**
 * The answer to "is this bearer token good?". {@code token} is null when the token is unknown.
 */
public record TokenCheck(Outcome outcome, ApiTokenView token) {

    public enum Outcome {
        VALID, UNKNOWN, REVOKED, EXPIRED
    }

    /** The authorities a valid token grants: {@code SCOPE_<scope>} for each scope and those it implies. */
    public Set<String> authorities() {
        Set<String> authorities = new LinkedHashSet<>();
        if (outcome == Outcome.VALID) {
            for (ApiScope scope : token.scopes()) {
                scope.implied().forEach(s -> authorities.add(s.authority()));
            }
        }
        return authorities;
    }
}

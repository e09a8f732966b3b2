package dev.assay.security.internal;

import org.springframework.stereotype.Component;

import tools.jackson.databind.json.JsonMapper;

/**
 * Renders the before/after state of an audit line as compact JSON. Callers pass maps they build
 * field by field, so what is written is exactly what was chosen: never a hash, never a token.
 */
@Component
public class AuditJson {

    private final JsonMapper json;

    AuditJson(JsonMapper json) {
        this.json = json;
    }

    public String of(Object state) {
        return state == null ? null : json.writeValueAsString(state);
    }
}

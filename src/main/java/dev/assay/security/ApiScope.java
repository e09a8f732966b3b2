package dev.assay.security;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What an API token may do. A token's principal carries {@code SCOPE_<value>} authorities;
 * {@code admin} implies {@code read} and {@code ingest}, so the token gets all three.
 */
public enum ApiScope {

    /** GET on the API and the Prometheus endpoint. */
    READ("read"),
    /** Push ingestion: {@code POST /api/v1/ingest/**}. */
    INGEST("ingest"),
    /** Everything an API token can do, including sources, collection and quarantine. */
    ADMIN("admin");

    private final String value;

    ApiScope(String value) {
        this.value = value;
    }

    /** The name used in the database, forms and docs: {@code read}, {@code ingest}, {@code admin}. */
    public String value() {
        return value;
    }

    /** The Spring Security authority, e.g. {@code SCOPE_read}. */
    public String authority() {
        return "SCOPE_" + value;
    }

    /** This scope and the scopes it implies. */
    public Set<ApiScope> implied() {
        return this == ADMIN ? EnumSet.allOf(ApiScope.class) : EnumSet.of(this);
    }

    /**
     * @throws IllegalArgumentException naming the unknown scope and the known ones
     */
    public static ApiScope of(String value) {
        String wanted = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.value.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "Unknown scope '" + value + "': use read, ingest or admin"));
    }
}

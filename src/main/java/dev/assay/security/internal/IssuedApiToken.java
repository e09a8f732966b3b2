package dev.assay.security.internal;

/**
 * A token just created: the only moment its secret exists outside the client that receives it.
 * The admin page shows {@code secret} once; it is never stored, logged or audited.
 */
public record IssuedApiToken(ApiTokenView token, String secret) {

    /** Keeps the secret out of any log line or error message that prints this record. */
    @Override
    public String toString() {
        return "IssuedApiToken[token=" + token + ", secret=(hidden)]";
    }
}

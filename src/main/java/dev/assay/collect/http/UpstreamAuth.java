package dev.assay.collect.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * How a credential is presented; each upstream has its own scheme. The credential itself comes from
 * the environment variable named by the source's {@code token-env} and is never logged.
 */
public enum UpstreamAuth {
    /** {@code Authorization: Bearer <token>} (GitHub, GitLab, Jira Cloud with a PAT, OCI bearer tokens). */
    BEARER,
    /** {@code Authorization: Token token=<token>} (PagerDuty REST API v2). */
    PAGERDUTY_TOKEN,
    /** {@code Authorization: GenieKey <key>} (Opsgenie). */
    GENIE_KEY,
    /** {@code Authorization: Basic base64(user:token)}: the variable holds {@code user:token} (Jenkins, Jira). */
    BASIC,
    /** {@code PRIVATE-TOKEN: <token>} (GitLab's own header). */
    GITLAB_PRIVATE_TOKEN;

    String headerName() {
        return this == GITLAB_PRIVATE_TOKEN ? "PRIVATE-TOKEN" : "Authorization";
    }

    String headerValue(String secret) {
        return switch (this) {
            case BEARER -> "Bearer " + secret;
            case PAGERDUTY_TOKEN -> "Token token=" + secret;
            case GENIE_KEY -> "GenieKey " + secret;
            case BASIC -> "Basic " + Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
            case GITLAB_PRIVATE_TOKEN -> secret;
        };
    }
}

package dev.assay.security.internal;

import java.time.OffsetDateTime;
import java.util.List;

import dev.assay.security.ApiScope;

/**
 * An API token as it may be shown: its name, the first characters of the secret (to tell tokens
 * apart), scopes and dates (UTC). The secret itself and its hash are never part of it.
 *
 * @param status {@code active}, {@code expired} or {@code revoked}, at the time the view was made
 */
public record ApiTokenView(long id, String name, String prefix, List<ApiScope> scopes, String createdBy,
        OffsetDateTime createdAt, OffsetDateTime expiresAt, OffsetDateTime lastUsedAt, OffsetDateTime revokedAt,
        String status) {
}

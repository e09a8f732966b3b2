package dev.assay.findings.internal;

import java.time.Instant;

/**
 * A risk acceptance request and its decision.
 *
 * @param status pending, approved, rejected, withdrawn, expired, revoked or superseded
 */
public record Acceptance(long id, long findingId, String status, String justification, Instant expiresAt,
        String requestedBy, Instant requestedAt, String decidedBy, Instant decidedAt, String decisionNote, Instant endedAt) {
}

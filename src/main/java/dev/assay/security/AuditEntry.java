package dev.assay.security;

import java.time.Instant;

/**
 * One line of the audit log, as stored: who did what to which thing, when, with the state before
 * and after as compact JSON (never secrets: no password hashes, no tokens).
 */
public record AuditEntry(long id, Instant occurredAt, String actor, String action, String entityType, String entityId,
        String before, String after) {
}

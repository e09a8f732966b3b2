package dev.assay.common;

/**
 * A change worth an audit-log line. Features publish it (Spring application event) from inside
 * the transaction that makes the change; the security feature stores it in the same transaction.
 *
 * @param actor      who made the change: a username, {@code token:<name>} or {@code system:<job>}
 * @param action     a verb phrase such as {@code service.created}
 * @param entityType the kind of thing changed, e.g. {@code service}
 * @param entityId   its natural key (a name, a digest, an id)
 * @param before     a compact JSON rendering of the state before (null when created)
 * @param after      the state after (null when deleted)
 */
public record AuditEvent(String actor, String action, String entityType, String entityId, String before, String after) {
}

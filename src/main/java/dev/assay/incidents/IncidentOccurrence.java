package dev.assay.incidents;

import java.time.Instant;

/**
 * An incident with the instant the figures' windows select it by ({@code occurred_at}: its first
 * known timestamp), for the metrics feature's rollups.
 */
public record IncidentOccurrence(Instant occurredAt, IncidentSummary incident) {
}

package dev.assay.incidents.internal;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * An incident as a mapper read it from its upstream document, before the catalog resolves its
 * services. Every collector and the push ingestion produce this; {@link IncidentStore} writes it.
 *
 * @param upstreamServices how the upstream named the affected services, for display
 * @param refs             what the catalog resolves into services (see {@link UpstreamRef})
 * @param cursorAt         the value the source's watermark advances to once this incident is stored
 *                         (PagerDuty and Opsgenie: creation time; Jira: {@code updated})
 * @param cursorKey        which watermark that is (set by the collector; null for pushes)
 */
public record MappedIncident(String sourceId, String sourceType, String externalId, String displayRef, String title,
        String severity, String status, boolean drill, Instant startedAt, Instant detectedAt, Instant acknowledgedAt,
        Instant mitigatedAt, Instant resolvedAt, Instant upstreamUpdatedAt, String url, String upstreamServices,
        List<UpstreamRef> refs, List<MappedEvent> events, Instant cursorAt, String cursorKey) {

    public MappedIncident {
        refs = List.copyOf(refs);
        events = List.copyOf(events);
    }

    public MappedIncident withCursorKey(String key) {
        return new MappedIncident(sourceId, sourceType, externalId, displayRef, title, severity, status, drill, startedAt,
                detectedAt, acknowledgedAt, mitigatedAt, resolvedAt, upstreamUpdatedAt, url, upstreamServices, refs, events,
                cursorAt, key);
    }

    /** The first known timestamp: where the incident falls in a window. */
    public Instant occurredAt() {
        return Stream.of(detectedAt, startedAt, acknowledgedAt, mitigatedAt, resolvedAt)
                .filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    /** One entry of the timeline as the upstream recorded it. */
    public record MappedEvent(Instant at, String kind, String actor, String summary) {
    }

    /**
     * What an upstream said about an affected service: {@code pagerduty} service id,
     * {@code opsgenie} team, {@code jira} project key (links the catalog's annotations name), or
     * {@code name} (a component, label, tag or entity that may be a catalog service name).
     */
    public record UpstreamRef(String kind, String value) {

        public static final String NAME = "name";
    }
}

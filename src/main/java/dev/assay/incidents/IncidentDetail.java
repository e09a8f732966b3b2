package dev.assay.incidents;

import java.time.Instant;
import java.util.List;

/**
 * An incident's page: the summary, what the upstream said about services, the timeline, each
 * duration spelled out or the reason it is not measured, and the review.
 *
 * @param sentences the durations in words: "detected 14 min after impact began", or why one is missing
 */
public record IncidentDetail(IncidentSummary incident, String upstreamServices, List<TimelineEvent> timeline,
        List<String> sentences, List<Measured> measurements, ReviewView review) {

    public IncidentDetail {
        timeline = List.copyOf(timeline);
        sentences = List.copyOf(sentences);
        measurements = List.copyOf(measurements);
    }

    public record TimelineEvent(Instant at, String kind, String actor, String summary) {
    }

    /** One of TTD / TTA / TTR for this incident: its value, or the reason the figures exclude it. */
    public record Measured(String metric, String name, String value, String exclusion) {
    }
}

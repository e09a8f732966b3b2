package dev.assay.incidents.internal.collect;

import java.time.Instant;

import tools.jackson.databind.JsonNode;

/**
 * One upstream record as a reader handed it out, before mapping.
 *
 * @param kind      quarantine kind, e.g. {@code pagerduty-incident}
 * @param location  where it came from (request and position), shown in quarantine rows
 * @param document  the record (a PagerDuty incident, an Opsgenie alert, a Jira issue)
 * @param extra     what the reader fetched besides (PagerDuty log entries, Opsgenie alert details), or null
 * @param team      the Opsgenie team the list was queried for, or null
 * @param cursorKey the watermark this record advances
 * @param cursorAt  the record's watermark value, or null when the record is too broken to have one
 */
public record CollectedItem(String sourceId, String kind, String location, JsonNode document, JsonNode extra, String team,
        String cursorKey, Instant cursorAt) {

    /** The record as received, for quarantine. */
    public String payload() {
        return document == null ? "" : document.toString();
    }
}

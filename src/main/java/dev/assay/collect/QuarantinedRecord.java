package dev.assay.collect;

import java.time.Instant;

/** A record that could not be parsed or mapped, kept with its reason for an admin to inspect. */
public record QuarantinedRecord(long id, String sourceId, String kind, String location, String reason,
        String payload, long payloadSize, boolean payloadTruncated, String status, Instant firstSeenAt,
        Instant lastSeenAt, int timesSeen, Long jobExecutionId) {
}

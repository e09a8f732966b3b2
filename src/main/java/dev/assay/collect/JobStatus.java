package dev.assay.collect;

import java.time.Instant;

/**
 * A collection job execution as the API and the admin pages show it. {@code quarantined} counts
 * the records that went to (or were seen again in) quarantine during this execution.
 */
public record JobStatus(long executionId, String jobName, String sourceId, String status, String exitCode,
        String exitMessage, long read, long written, long skipped, long quarantined, Instant createdAt,
        Instant startedAt, Instant endedAt, String launchedBy) {
}

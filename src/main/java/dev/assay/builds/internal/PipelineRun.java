package dev.assay.builds.internal;

import java.time.Instant;
import java.util.List;

/**
 * One run attempt of a CI pipeline as Assay stores it, whatever system it came from. Statuses are
 * normalised to {@code queued}, {@code in_progress}, {@code completed}; conclusions to GitHub's words
 * ({@code success}, {@code failure}, {@code cancelled}, {@code skipped}, ...) plus Jenkins'
 * {@code unstable}.
 */
public record PipelineRun(String sourceId, String system, String repository, String workflow, String externalId,
        int attempt, Long runNumber, String commitSha, String branch, String triggerEvent, String status,
        String upstreamStatus, String conclusion, Instant createdAt, Instant startedAt, Instant finishedAt,
        Long durationS, String url, String actor, Instant upstreamUpdatedAt, List<ServiceLink> links) {

    public static final String QUEUED = "queued";
    public static final String IN_PROGRESS = "in_progress";
    public static final String COMPLETED = "completed";

    public PipelineRun {
        links = List.copyOf(links);
    }

    public boolean completed() {
        return COMPLETED.equals(status);
    }

    /** The run as the anomaly finding names it: stable across collections and installations. */
    public String subject() {
        return system + ":" + repository + ":" + externalId + "#" + attempt;
    }
}

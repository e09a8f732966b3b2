package dev.assay.builds;

import java.time.Instant;
import java.util.List;

/**
 * A stored pipeline run as {@code GET /api/v1/pipeline-runs} and the pages show it (JSON: snake_case).
 *
 * @param services the catalog services it belongs to; empty when unmapped
 * @param anomaly  whether its duration was found anomalous (docs/builds.md)
 */
public record PipelineRunView(long id, String source, String system, String repository, String workflow,
        String externalId, int attempt, Long runNumber, String commitSha, String branch, String triggerEvent,
        String status, String conclusion, Instant createdAt, Instant startedAt, Instant finishedAt, Long durationS,
        String url, String actor, List<String> services, boolean anomaly) {

    public PipelineRunView {
        services = List.copyOf(services);
    }
}

package dev.assay.builds;

import java.time.Instant;

/**
 * A pipeline run of a service took far longer or shorter than the recent runs of its workflow
 * (DESIGN §5; the rule is in docs/builds.md). Published inside the transaction that stored the run,
 * once per service the run belongs to; the findings feature records it after that transaction commits.
 *
 * @param runId   the stored run ({@code GET /api/v1/pipeline-runs?...})
 * @param subject what is anomalous, stable across collections: {@code <system>:<repository>:<external id>#<attempt>}
 */
public record BuildAnomalyDetected(String serviceName, long runId, String subject, String title, String detail,
        Instant observedAt) {
}

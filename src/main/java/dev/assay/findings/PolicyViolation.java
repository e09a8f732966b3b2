package dev.assay.findings;

import java.time.Instant;

/**
 * A policy that a service currently violates, for {@link FindingsIntake#reportPolicy(PolicyViolation)}.
 * Identified by service + policy + subject: reporting the same violation again refreshes it.
 *
 * @param subject    what violates it: an artifact digest, a licence and package, a review id, …
 * @param reportedBy the feature or job that found it, e.g. {@code artifacts}, {@code builds}
 * @param detail     the evidence in a sentence or two (shown on the finding's page)
 * @param observedAt when the violation was observed
 */
public record PolicyViolation(String serviceName, Policy policy, String subject, Severity severity, String title,
        String detail, String reportedBy, Instant observedAt) {
}

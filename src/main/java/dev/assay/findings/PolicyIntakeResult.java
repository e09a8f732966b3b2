package dev.assay.findings;

/**
 * What a reported policy violation changed.
 *
 * @param findingId the finding that stands for the violation
 * @param created   true when the violation was not known before
 * @param reopened  true when it had been resolved and is reported again
 */
public record PolicyIntakeResult(long findingId, boolean created, boolean reopened) {
}

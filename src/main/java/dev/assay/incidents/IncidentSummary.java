package dev.assay.incidents;

import java.time.Instant;
import java.util.List;

/**
 * An incident as lists and {@code GET /api/v1/incidents} show it (JSON: snake_case). The durations
 * are those of {@link IncidentTimes}: null when not measurable (see the detail page for why).
 *
 * @param startedAt            impact began: the review's value when it set one, else the tracker's
 * @param impactStartFromReview whether {@code startedAt} comes from the post-incident review
 * @param reviewStatus         {@code draft}, {@code published} or null (no review)
 */
public record IncidentSummary(long id, String source, String sourceType, String externalId, String reference, String title,
        String severity, String status, boolean isDrill, List<String> services, Instant startedAt,
        boolean impactStartFromReview, Instant detectedAt, Instant acknowledgedAt, Instant mitigatedAt, Instant resolvedAt,
        String url, Long runbookId, String reviewStatus, Double ttdS, Double ttaS, Double ttrS) {

    public IncidentSummary {
        services = List.copyOf(services);
    }

    public String ttdText() {
        return Durations.spellSeconds(ttdS);
    }

    public String ttaText() {
        return Durations.spellSeconds(ttaS);
    }

    public String ttrText() {
        return Durations.spellSeconds(ttrS);
    }

    public IncidentTimes times() {
        return new IncidentTimes(startedAt, impactStartFromReview, detectedAt, acknowledgedAt, mitigatedAt, resolvedAt);
    }
}

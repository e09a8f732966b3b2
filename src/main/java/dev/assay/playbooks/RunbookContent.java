package dev.assay.playbooks;

import java.time.Instant;
import java.util.List;

/**
 * What one runbook version says, parsed from its front matter and body (docs/playbooks.md).
 *
 * @param lastReviewed the front matter's {@code last_reviewed}, or null
 * @param body         the markdown after the front matter, untrusted: render it only through the sanitising renderer
 */
public record RunbookContent(String slug, String title, List<String> services, List<String> teams,
        List<String> incidentTypes, int reviewIntervalDays, Instant lastReviewed, List<Role> roles,
        List<EscalationContact> escalation, List<CommunicationTemplate> templates, List<ChecklistStep> steps,
        String body) {

    public RunbookContent {
        services = List.copyOf(services);
        teams = List.copyOf(teams);
        incidentTypes = List.copyOf(incidentTypes);
        roles = List.copyOf(roles);
        escalation = List.copyOf(escalation);
        templates = List.copyOf(templates);
        steps = List.copyOf(steps);
    }

    /** A response role (incident commander, communications, operations, ...) and who fills it. */
    public record Role(String name, String filledBy, String duties) {
    }

    /**
     * One rung of the escalation path, in order.
     *
     * @param waitMinutes how long to wait for an acknowledgement before going to the next contact; null: no limit
     */
    public record EscalationContact(int position, String contact, Integer waitMinutes, String via) {
    }

    /** A communication template (status page, stakeholder update, ...) with its {@code {placeholders}}. */
    public record CommunicationTemplate(String name, String audience, String text, List<String> placeholders) {

        public CommunicationTemplate {
            placeholders = List.copyOf(placeholders);
        }
    }

    /** One checklist step, numbered from 1; expectedMinutes may be null (no expectation). */
    public record ChecklistStep(int position, String title, Integer expectedMinutes, boolean critical) {
    }
}

package dev.assay.incidents;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.assay.catalog.Catalog;
import dev.assay.catalog.ServiceOwnership;
import dev.assay.common.AuditEvent;
import dev.assay.common.UntrustedJson;
import dev.assay.incidents.internal.ReviewStore;
import dev.assay.incidents.internal.db.tables.records.ReviewActionRecord;
import dev.assay.incidents.internal.db.tables.records.ReviewRecord;

/**
 * Post-incident reviews: write access is object-level. ADMIN and SECURITY may review any incident;
 * SERVICE_OWNER and RESPONDER the incidents that affected a service owned by a team they belong to
 * (the catalog's {@link ServiceOwnership}); EXECUTIVE none. Every change is audited; an action item
 * raises {@link ReviewActionRaised}.
 */
@Service
public class IncidentReviews {

    public static final Set<String> STATUSES = Set.of("draft", "published");
    private static final Set<String> ANY_INCIDENT = Set.of("ROLE_ADMIN", "ROLE_SECURITY");
    private static final int MAX_TEXT = 20_000;
    private static final Pattern OWNER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@:/-]{0,199}");

    private final ReviewStore store;
    private final Catalog catalog;
    private final ServiceOwnership ownership;
    private final ApplicationEventPublisher events;
    private final UntrustedJson json;
    private final Clock clock;

    IncidentReviews(ReviewStore store, Catalog catalog, ServiceOwnership ownership, ApplicationEventPublisher events,
            UntrustedJson json, Clock clock) {
        this.store = store;
        this.catalog = catalog;
        this.ownership = ownership;
        this.events = events;
        this.json = json;
        this.clock = clock;
    }

    /** What the review form sends. Texts may be blank; {@code impactStartedAt} is UTC ({@code 2024-05-01T10:15}) or has an offset. */
    public record ReviewForm(String status, String summary, String rootCauses, String wentWell, String wentBadly,
            String impactStartedAt, String runbookId) {
    }

    /** What the action form sends. */
    public record ActionForm(String description, String owner, String dueDate) {
    }

    @Transactional(readOnly = true)
    public Optional<ReviewView> review(long incidentId) {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        return store.review(incidentId).map(r -> view(r, store.actions(r.getId()), today));
    }

    public boolean canReview(Authentication user, IncidentSummary incident) {
        if (user == null) {
            return false;
        }
        if (user.getAuthorities().stream().map(GrantedAuthority::getAuthority).anyMatch(ANY_INCIDENT::contains)) {
            return true;
        }
        for (String service : incident.services()) {
            var detail = catalog.service(service);
            if (detail.isPresent() && ownership.canChange(user, detail.get().service())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Creates or updates the review of an incident, and its runbook link.
     *
     * @throws AccessDeniedException    the user may not review this incident
     * @throws IllegalArgumentException a field is invalid (the message says which and why)
     */
    @Transactional
    public void saveReview(IncidentSummary incident, ReviewForm form, Authentication user) {
        requireReviewer(user, incident);
        String status = form.status() == null ? "draft" : form.status().strip();
        if (!STATUSES.contains(status)) {
            throw new IllegalArgumentException("Status must be draft or published");
        }
        String summary = text(form.summary(), "Summary");
        String rootCauses = text(form.rootCauses(), "Root causes");
        String wentWell = text(form.wentWell(), "What went well");
        String wentBadly = text(form.wentBadly(), "What went badly");
        Instant impactStart = impactStart(form.impactStartedAt(), incident);
        Long runbook = runbookId(form.runbookId());
        if ("published".equals(status) && summary == null) {
            throw new IllegalArgumentException("A published review needs a summary");
        }
        Instant now = clock.instant();
        String actor = user.getName();
        Optional<ReviewRecord> existing = store.review(incident.id());
        String after = describe(status, summary, rootCauses, wentWell, wentBadly, impactStart);
        if (existing.isEmpty()) {
            store.createReview(incident.id(), status, summary, rootCauses, wentWell, wentBadly, impactStart, actor, now);
            events.publishEvent(new AuditEvent(actor, "incident.review-created", "incident", String.valueOf(incident.id()),
                    null, after));
        } else {
            ReviewRecord r = existing.get();
            String before = describe(r.getStatus(), r.getSummary(), r.getRootCauses(), r.getWentWell(), r.getWentBadly(),
                    r.getImpactStartedAt() == null ? null : r.getImpactStartedAt().toInstant());
            if (!before.equals(after)) {
                store.updateReview(r.getId(), status, summary, rootCauses, wentWell, wentBadly, impactStart, actor, now);
                events.publishEvent(new AuditEvent(actor, "incident.review-updated", "incident",
                        String.valueOf(incident.id()), before, after));
            }
        }
        Long currentRunbook = store.runbookId(incident.id());
        if (!java.util.Objects.equals(currentRunbook, runbook)) {
            store.linkRunbook(incident.id(), runbook);
            events.publishEvent(new AuditEvent(actor, "incident.runbook-linked", "incident", String.valueOf(incident.id()),
                    currentRunbook == null ? null : String.valueOf(currentRunbook), runbook == null ? null : String.valueOf(runbook)));
        }
    }

    /**
     * Adds an action item to the incident's review (which must exist) and raises {@link ReviewActionRaised}.
     *
     * @return the action item's id
     */
    @Transactional
    public long addAction(IncidentSummary incident, ActionForm form, Authentication user) {
        requireReviewer(user, incident);
        ReviewRecord review = store.review(incident.id())
                .orElseThrow(() -> new IllegalArgumentException("Write the review before adding action items"));
        String description = text(form.description(), "Action");
        if (description == null) {
            throw new IllegalArgumentException("An action item needs a description");
        }
        if (description.length() > 2000) {
            throw new IllegalArgumentException("An action item's description is limited to 2,000 characters");
        }
        String owner = form.owner() == null ? "" : form.owner().strip();
        if (!OWNER.matcher(owner).matches()) {
            throw new IllegalArgumentException("The owner must be a team name or a username (letters, digits, . _ @ : / -)");
        }
        LocalDate due;
        try {
            due = LocalDate.parse(form.dueDate() == null ? "" : form.dueDate().strip());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("The due date must be a date such as 2024-06-30");
        }
        Instant now = clock.instant();
        long id = store.addAction(review.getId(), description, owner, due, user.getName(), now);
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("description", description);
        after.put("owner", owner);
        after.put("due_date", due.toString());
        events.publishEvent(new AuditEvent(user.getName(), "incident.review-action-raised", "incident",
                String.valueOf(incident.id()), null, json.mapper().writeValueAsString(after)));
        events.publishEvent(new ReviewActionRaised(id, incident.id(), incident.reference(), incident.title(),
                incident.services(), description, owner, due, user.getName(), now));
        return id;
    }

    /** Marks an action item done and raises {@link ReviewActionCompleted}; doing it twice changes nothing. */
    @Transactional
    public void completeAction(IncidentSummary incident, long actionId, Authentication user) {
        requireReviewer(user, incident);
        ReviewRecord review = store.review(incident.id())
                .orElseThrow(() -> new IllegalArgumentException("This incident has no review"));
        ReviewActionRecord action = store.action(review.getId(), actionId)
                .orElseThrow(() -> new IllegalArgumentException("No action item " + actionId + " in this review"));
        Instant now = clock.instant();
        if (store.completeAction(action.getId(), user.getName(), now)) {
            events.publishEvent(new AuditEvent(user.getName(), "incident.review-action-completed", "incident",
                    String.valueOf(incident.id()), "open: " + action.getDescription(), "done: " + action.getDescription()));
            events.publishEvent(new ReviewActionCompleted(action.getId(), incident.id(), incident.services(), user.getName(), now));
        }
    }

    private void requireReviewer(Authentication user, IncidentSummary incident) {
        if (!canReview(user, incident)) {
            throw new AccessDeniedException("Only the teams that own a service this incident affected (or SECURITY / ADMIN)"
                    + " can review it");
        }
    }

    private static String text(String value, String field) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.strip();
        if (text.length() > MAX_TEXT) {
            throw new IllegalArgumentException(field + " is limited to " + MAX_TEXT + " characters");
        }
        return text;
    }

    /** The impact start a reviewer entered: UTC unless it carries an offset; never after detection or in the future. */
    private Instant impactStart(String value, IncidentSummary incident) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.strip();
        Instant at;
        try {
            at = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException withoutOffset) {
            try {
                at = LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("Impact began must be a date and time such as 2024-05-01T10:15 (UTC)");
            }
        }
        if (at.isAfter(clock.instant())) {
            throw new IllegalArgumentException("Impact cannot begin in the future");
        }
        if (incident.detectedAt() != null && at.isAfter(incident.detectedAt())) {
            throw new IllegalArgumentException("Impact cannot begin after the incident was detected ("
                    + incident.detectedAt() + "); check the time and that it is in UTC");
        }
        return at;
    }

    private static Long runbookId(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long id = Long.parseLong(value.strip());
            if (id <= 0) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("The runbook must be given by its id, a positive number");
        }
    }

    private String describe(String status, String summary, String rootCauses, String wentWell, String wentBadly,
            Instant impactStart) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("status", status);
        state.put("summary", summary);
        state.put("root_causes", rootCauses);
        state.put("went_well", wentWell);
        state.put("went_badly", wentBadly);
        state.put("impact_started_at", impactStart == null ? null : impactStart.toString());
        return json.mapper().writeValueAsString(state);
    }

    private static ReviewView view(ReviewRecord r, List<ReviewActionRecord> actions, LocalDate today) {
        return new ReviewView(r.getId(), r.getIncidentId(), r.getStatus(), r.getSummary(), r.getRootCauses(),
                r.getWentWell(), r.getWentBadly(), r.getImpactStartedAt() == null ? null : r.getImpactStartedAt().toInstant(),
                r.getCreatedBy(), r.getCreatedAt().toInstant(), r.getUpdatedBy(), r.getUpdatedAt().toInstant(),
                actions.stream().map(a -> new ReviewView.Action(a.getId(), a.getDescription(), a.getOwner(), a.getDueDate(),
                        a.getStatus(), a.getCreatedBy(), a.getCreatedAt().toInstant(), a.getCompletedBy(),
                        a.getCompletedAt() == null ? null : a.getCompletedAt().toInstant(),
                        "open".equals(a.getStatus()) && a.getDueDate().isBefore(today))).toList());
    }
}

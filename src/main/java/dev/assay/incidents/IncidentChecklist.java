package dev.assay.incidents;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.assay.common.AuditEvent;
import dev.assay.incidents.internal.ChecklistStore;
import dev.assay.incidents.internal.ChecklistStore.DoneStep;
import dev.assay.incidents.internal.ReviewStore;
import dev.assay.playbooks.PlaybookNotFoundException;
import dev.assay.playbooks.RunbookContent.ChecklistStep;
import dev.assay.playbooks.RunbookSummary;
import dev.assay.playbooks.RunbookVersion;
import dev.assay.playbooks.Runbooks;

/**
 * During a real incident: the runbook responders follow is linked to the incident, and its
 * checklist is ticked off step by step with the time and who did it. The steps are those of the
 * runbook's current version; a tick keeps the version and title it was made against. Who may
 * link and tick: the same people who may review the incident ({@link IncidentReviews#canReview}).
 */
@Service
public class IncidentChecklist {

    /** One step of the checklist and, once done, when and by whom. */
    public record Item(int position, String title, Integer expectedMinutes, boolean critical, Instant doneAt, String doneBy,
            String note, Duration sinceDetection) {

        public boolean done() {
            return doneAt != null;
        }
    }

    /** The linked runbook's checklist as it stands for this incident. */
    public record Checklist(long runbookId, String runbookSlug, String runbookTitle, int runbookVersion, List<Item> items,
            String problem) {

        public long doneCount() {
            return items.stream().filter(Item::done).count();
        }
    }

    private final Runbooks runbooks;
    private final ReviewStore reviews;
    private final ChecklistStore store;
    private final IncidentReviews access;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    IncidentChecklist(Runbooks runbooks, ReviewStore reviews, ChecklistStore store, IncidentReviews access,
            ApplicationEventPublisher events, Clock clock) {
        this.runbooks = runbooks;
        this.reviews = reviews;
        this.store = store;
        this.access = access;
        this.events = events;
        this.clock = clock;
    }

    /** Runbooks to offer for linking: those naming one of the incident's services first, then the rest, by title. */
    @Transactional(readOnly = true)
    public List<RunbookSummary> candidates(IncidentSummary incident) {
        return runbooks.all().stream()
                .sorted(Comparator.comparing((RunbookSummary r) -> r.services().stream().noneMatch(incident.services()::contains))
                        .thenComparing(RunbookSummary::title, String.CASE_INSENSITIVE_ORDER))
                .toList();
    }

    @Transactional(readOnly = true)
    public Optional<Checklist> checklist(IncidentSummary incident) {
        if (incident.runbookId() == null) {
            return Optional.empty();
        }
        long runbookId = incident.runbookId();
        RunbookVersion current;
        try {
            current = runbooks.current(runbookId);
        } catch (PlaybookNotFoundException e) {
            return Optional.of(new Checklist(runbookId, null, null, 0, List.of(), "Runbook " + runbookId + " no longer exists."));
        }
        Map<Integer, DoneStep> done = store.done(incident.id(), runbookId).stream()
                .collect(Collectors.toMap(DoneStep::position, Function.identity()));
        List<Item> items = new ArrayList<>();
        List<ChecklistStep> steps = current.content() == null ? List.of() : current.content().steps();
        for (ChecklistStep step : steps) {
            DoneStep d = done.get(step.position());
            Duration since = d == null || incident.detectedAt() == null ? null : Duration.between(incident.detectedAt(), d.doneAt());
            items.add(new Item(step.position(), d == null ? step.title() : d.title(), step.expectedMinutes(), step.critical(),
                    d == null ? null : d.doneAt(), d == null ? null : d.doneBy(), d == null ? null : d.note(), since));
        }
        String problem = current.content() == null ? "The runbook's current version could not be read: " + current.parseError()
                : steps.isEmpty() ? "The runbook has no checklist." : null;
        return Optional.of(new Checklist(runbookId, current.runbook().slug(), current.runbook().title(),
                current.info().number(), items, problem));
    }

    /**
     * Links the runbook (by id or slug) to the incident, or unlinks it when blank.
     *
     * @throws IllegalArgumentException for an unknown runbook
     */
    @Transactional
    public void link(IncidentSummary incident, String runbookIdOrSlug, Authentication user) {
        requireResponder(user, incident);
        Long runbookId = null;
        if (runbookIdOrSlug != null && !runbookIdOrSlug.isBlank()) {
            try {
                runbookId = runbooks.require(runbookIdOrSlug.strip()).id();
            } catch (PlaybookNotFoundException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
        }
        Long current = reviews.runbookId(incident.id());
        if (!java.util.Objects.equals(current, runbookId)) {
            reviews.linkRunbook(incident.id(), runbookId);
            events.publishEvent(new AuditEvent(user.getName(), "incident.runbook-linked", "incident", String.valueOf(incident.id()),
                    current == null ? null : String.valueOf(current), runbookId == null ? null : String.valueOf(runbookId)));
        }
    }

    /**
     * Ticks a step of the linked runbook's checklist as done now; ticking it again changes nothing.
     *
     * @throws IllegalArgumentException when no runbook is linked or the step does not exist
     */
    @Transactional
    public void markDone(IncidentSummary incident, int position, String note, Authentication user) {
        requireResponder(user, incident);
        if (incident.runbookId() == null) {
            throw new IllegalArgumentException("Link a runbook to the incident before ticking its checklist");
        }
        String text = note == null || note.isBlank() ? null : note.strip();
        if (text != null && text.length() > 2000) {
            throw new IllegalArgumentException("A note is limited to 2,000 characters");
        }
        RunbookVersion current;
        try {
            current = runbooks.current(incident.runbookId());
        } catch (PlaybookNotFoundException e) {
            throw new IllegalArgumentException("Runbook " + incident.runbookId() + " no longer exists");
        }
        ChecklistStep step = (current.content() == null ? List.<ChecklistStep>of() : current.content().steps()).stream()
                .filter(s -> s.position() == position).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("The runbook has no step " + position));
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        if (store.markDone(incident.id(), new DoneStep(incident.runbookId(), current.info().number(), position, step.title(), now,
                user.getName(), text))) {
            events.publishEvent(new AuditEvent(user.getName(), "incident.checklist-step-done", "incident",
                    String.valueOf(incident.id()), null, "runbook " + incident.runbookId() + " v" + current.info().number()
                            + " step " + position + ": " + step.title()));
        }
    }

    private void requireResponder(Authentication user, IncidentSummary incident) {
        if (!access.canReview(user, incident)) {
            throw new AccessDeniedException("Only the teams that own a service this incident affected (or SECURITY / ADMIN)"
                    + " can follow its runbook here");
        }
    }
}

package dev.assay.playbooks;

import static dev.assay.playbooks.internal.db.Tables.DRILL;
import static dev.assay.playbooks.internal.db.Tables.DRILL_ACTION;
import static dev.assay.playbooks.internal.db.Tables.DRILL_PARTICIPANT;
import static dev.assay.playbooks.internal.db.Tables.DRILL_SCOPE;
import static dev.assay.playbooks.internal.db.Tables.DRILL_STEP;
import static dev.assay.playbooks.internal.db.Tables.RUNBOOK;
import static dev.assay.playbooks.internal.db.Tables.RUNBOOK_VERSION;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.assay.common.AuditEvent;
import dev.assay.common.PageRequest;
import dev.assay.common.PageResult;
import dev.assay.playbooks.DrillDetail.Step;
import dev.assay.playbooks.internal.AuditJson;
import dev.assay.playbooks.internal.db.tables.records.DrillRecord;
import dev.assay.playbooks.internal.db.tables.records.DrillStepRecord;

/**
 * Drills: a runbook version practised step by step. The state machine is
 * {@code planned → running → finished}; each checklist step goes {@code pending → started →
 * completed}, or to {@code skipped} (with a reason) from pending or started. Anything else is a
 * {@link DrillStateException} that says what the state is and what to do instead. Every action
 * locks the drill row first, so two people pressing buttons on the same drill are serialised.
 * Times come from the application clock.
 */
@Service
@Transactional(readOnly = true)
public class Drills {

    public static final Set<String> KINDS = Set.of("tabletop", "live");
    public static final List<String> OUTCOMES = List.of("succeeded", "partial", "failed");
    static final int NOTE_MAX = 4000;
    static final int REASON_MAX = 2000;
    static final int LESSONS_MAX = 20_000;
    static final int NAME_MAX = 200;
    static final int TITLE_MAX = 500;
    /** Printable text, no control characters (names of people and roles typed into a form). */
    private static final Pattern PRINTABLE = Pattern.compile("[^\\p{Cntrl}]+");

    private final DSLContext db;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final Runbooks runbooks;

    Drills(DSLContext db, Clock clock, ApplicationEventPublisher events, Runbooks runbooks) {
        this.db = db;
        this.clock = clock;
        this.events = events;
        this.runbooks = runbooks;
    }

    /**
     * Plans a drill of a runbook version (the current one when versionNumber is null), copying its
     * checklist and scope; with {@code begin} it starts at once.
     *
     * @throws IllegalArgumentException an unknown kind, a scenario too long, a version without checklist
     */
    @Transactional
    public long plan(long runbookId, Integer versionNumber, String kind, String scenario, boolean begin, String actor) {
        RunbookSummary runbook = runbooks.find(runbookId)
                .orElseThrow(() -> new PlaybookNotFoundException("No runbook " + runbookId));
        RunbookVersion version = runbooks.version(runbook, versionNumber == null ? runbook.currentVersion() : versionNumber);
        String drillKind = kind == null ? "" : kind.strip().toLowerCase(Locale.ROOT);
        if (!KINDS.contains(drillKind)) {
            throw new IllegalArgumentException("kind must be tabletop or live");
        }
        String scenarioText = optional(scenario, REASON_MAX, "the scenario");
        if (version.content() == null) {
            throw new IllegalArgumentException("version " + version.info().number() + " cannot be parsed ("
                    + version.parseError() + "); drill another version");
        }
        RunbookContent content = version.content();
        if (content.steps().isEmpty()) {
            throw new IllegalArgumentException("version " + version.info().number() + " of '" + runbook.slug()
                    + "' has no checklist steps; a drill steps through a checklist");
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        long id = db.insertInto(DRILL)
                .set(DRILL.RUNBOOK_ID, runbookId)
                .set(DRILL.RUNBOOK_VERSION_ID, version.info().id())
                .set(DRILL.KIND, drillKind)
                .set(DRILL.STATUS, DrillDetail.PLANNED)
                .set(DRILL.SCENARIO, scenarioText)
                .set(DRILL.CREATED_BY, actor)
                .set(DRILL.CREATED_AT, now)
                .returning(DRILL.ID).fetchOne(DRILL.ID);
        for (String service : content.services()) {
            db.insertInto(DRILL_SCOPE).set(DRILL_SCOPE.DRILL_ID, id).set(DRILL_SCOPE.KIND, "service")
                    .set(DRILL_SCOPE.SCOPE_VALUE, service).execute();
        }
        for (String team : content.teams()) {
            db.insertInto(DRILL_SCOPE).set(DRILL_SCOPE.DRILL_ID, id).set(DRILL_SCOPE.KIND, "team")
                    .set(DRILL_SCOPE.SCOPE_VALUE, team).execute();
        }
        for (RunbookContent.ChecklistStep step : content.steps()) {
            db.insertInto(DRILL_STEP)
                    .set(DRILL_STEP.DRILL_ID, id)
                    .set(DRILL_STEP.POSITION, step.position())
                    .set(DRILL_STEP.TITLE, step.title())
                    .set(DRILL_STEP.EXPECTED_MINUTES, step.expectedMinutes())
                    .set(DRILL_STEP.CRITICAL, step.critical())
                    .set(DRILL_STEP.STATUS, Step.PENDING)
                    .execute();
        }
        events.publishEvent(new AuditEvent(actor, "drill.planned", "drill", String.valueOf(id), null,
                AuditJson.of("runbook", runbook.slug(), "version", version.info().number(), "kind", drillKind,
                        "steps", content.steps().size())));
        if (begin) {
            begin(id, actor);
        }
        return id;
    }

    /** planned → running. */
    @Transactional
    public void begin(long drillId, String actor) {
        DrillRecord drill = lock(drillId);
        if (DrillDetail.RUNNING.equals(drill.getStatus())) {
            throw new DrillStateException("Drill " + drillId + " is already running (since " + drill.getStartedAt().toInstant() + ")");
        }
        requireNotFinished(drill);
        OffsetDateTime now = OffsetDateTime.now(clock);
        db.update(DRILL).set(DRILL.STATUS, DrillDetail.RUNNING).set(DRILL.STARTED_AT, now).where(DRILL.ID.eq(drillId)).execute();
        events.publishEvent(new AuditEvent(actor, "drill.started", "drill", String.valueOf(drillId),
                AuditJson.of("status", DrillDetail.PLANNED), AuditJson.of("status", DrillDetail.RUNNING, "started_at", now.toInstant().toString())));
        DrillDetail detail = require(drillId);
        events.publishEvent(new DrillStarted(drillId, detail.runbookId(), detail.runbookSlug(), detail.runbookVersion(),
                detail.kind(), detail.services(), detail.teams(), now.toInstant(), actor));
    }

    /** A pending step of a running drill → started. */
    @Transactional
    public void startStep(long drillId, int position, String actor) {
        DrillRecord drill = lockRunning(drillId, "start step " + position);
        DrillStepRecord step = step(drillId, position);
        if (!Step.PENDING.equals(step.getStatus())) {
            throw new DrillStateException("Step " + position + " was already " + step.getStatus()
                    + (step.getStartedAt() == null ? "" : " (started at " + step.getStartedAt().toInstant() + ")")
                    + "; only a pending step can be started");
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        db.update(DRILL_STEP).set(DRILL_STEP.STATUS, Step.STARTED).set(DRILL_STEP.STARTED_AT, now)
                .set(DRILL_STEP.STARTED_BY, actor).where(DRILL_STEP.ID.eq(step.getId())).execute();
        auditStep(actor, "drill.step-started", drill, position, step.getStatus(), Step.STARTED, null);
    }

    /** A started step → completed, with optional notes. */
    @Transactional
    public void completeStep(long drillId, int position, String notes, String actor) {
        DrillRecord drill = lockRunning(drillId, "complete step " + position);
        DrillStepRecord step = step(drillId, position);
        if (Step.PENDING.equals(step.getStatus())) {
            throw new DrillStateException("Step " + position + " has not been started; start it before completing it");
        }
        if (!Step.STARTED.equals(step.getStatus())) {
            throw new DrillStateException("Step " + position + " is already " + step.getStatus() + "; it cannot be completed");
        }
        String noteText = optional(notes, NOTE_MAX, "the notes");
        OffsetDateTime now = OffsetDateTime.now(clock);
        db.update(DRILL_STEP).set(DRILL_STEP.STATUS, Step.COMPLETED).set(DRILL_STEP.ENDED_AT, now)
                .set(DRILL_STEP.ENDED_BY, actor).set(DRILL_STEP.NOTES, noteText)
                .where(DRILL_STEP.ID.eq(step.getId())).execute();
        auditStep(actor, "drill.step-completed", drill, position, step.getStatus(), Step.COMPLETED, noteText);
    }

    /** A pending or started step → skipped; the reason is required. */
    @Transactional
    public void skipStep(long drillId, int position, String reason, String actor) {
        DrillRecord drill = lockRunning(drillId, "skip step " + position);
        DrillStepRecord step = step(drillId, position);
        if (!Step.PENDING.equals(step.getStatus()) && !Step.STARTED.equals(step.getStatus())) {
            throw new DrillStateException("Step " + position + " is already " + step.getStatus() + "; it cannot be skipped");
        }
        String why = optional(reason, REASON_MAX, "the reason");
        if (why == null) {
            throw new IllegalArgumentException("skipping step " + position + " needs a reason");
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        db.update(DRILL_STEP).set(DRILL_STEP.STATUS, Step.SKIPPED).set(DRILL_STEP.ENDED_AT, now)
                .set(DRILL_STEP.ENDED_BY, actor).set(DRILL_STEP.SKIP_REASON, why)
                .where(DRILL_STEP.ID.eq(step.getId())).execute();
        auditStep(actor, "drill.step-skipped", drill, position, step.getStatus(), Step.SKIPPED, why);
    }

    /**
     * running → finished with an outcome and lessons. Steps still open stay as they are and the
     * report lists them as not done.
     */
    @Transactional
    public void finish(long drillId, String outcome, String lessons, String actor) {
        lockRunning(drillId, "finish it");
        String result = outcome == null ? "" : outcome.strip().toLowerCase(Locale.ROOT);
        if (!OUTCOMES.contains(result)) {
            throw new IllegalArgumentException("outcome must be one of " + String.join(", ", OUTCOMES));
        }
        String lessonText = optional(lessons, LESSONS_MAX, "the lessons");
        OffsetDateTime now = OffsetDateTime.now(clock);
        db.update(DRILL).set(DRILL.STATUS, DrillDetail.FINISHED).set(DRILL.FINISHED_AT, now).set(DRILL.FINISHED_BY, actor)
                .set(DRILL.OUTCOME, result).set(DRILL.LESSONS, lessonText).where(DRILL.ID.eq(drillId)).execute();
        DrillReport report = report(drillId);
        DrillDetail drill = report.drill();
        events.publishEvent(new AuditEvent(actor, "drill.finished", "drill", String.valueOf(drillId),
                AuditJson.of("status", DrillDetail.RUNNING),
                AuditJson.of("status", DrillDetail.FINISHED, "outcome", result, "finished_at", now.toInstant().toString(),
                        "elapsed_s", drill.elapsedSeconds())));
        events.publishEvent(new DrillFinished(drillId, drill.runbookId(), drill.runbookSlug(), drill.runbookVersion(),
                drill.kind(), result, drill.services(), drill.teams(), drill.startedAt(), drill.finishedAt(),
                report.completed(), report.skipped(), report.notDone(), report.lateSteps().size(), actor));
    }

    /**
     * Replaces who fills which role. Allowed until the drill finishes.
     *
     * @param assignments role name → the people filling it (names as typed; blanks ignored)
     */
    @Transactional
    public void assignParticipants(long drillId, Map<String, List<String>> assignments, String actor) {
        DrillRecord drill = lock(drillId);
        requireNotFinished(drill);
        Map<String, Set<String>> clean = new LinkedHashMap<>();
        int count = 0;
        for (Map.Entry<String, List<String>> entry : assignments.entrySet()) {
            String role = optional(entry.getKey(), NAME_MAX, "a role name");
            if (role == null) {
                continue;
            }
            for (String person : entry.getValue()) {
                String name = optional(person, NAME_MAX, "a participant's name");
                if (name != null) {
                    if (!PRINTABLE.matcher(name).matches() || !PRINTABLE.matcher(role).matches()) {
                        throw new IllegalArgumentException("names may not contain control characters");
                    }
                    clean.computeIfAbsent(role, r -> new LinkedHashSet<>()).add(name);
                    count++;
                }
            }
        }
        if (count > 100) {
            throw new IllegalArgumentException("at most 100 participants can be assigned, got " + count);
        }
        Map<String, List<String>> before = participantsByRole(drillId);
        db.deleteFrom(DRILL_PARTICIPANT).where(DRILL_PARTICIPANT.DRILL_ID.eq(drillId)).execute();
        clean.forEach((role, names) -> names.forEach(name -> db.insertInto(DRILL_PARTICIPANT)
                .set(DRILL_PARTICIPANT.DRILL_ID, drillId).set(DRILL_PARTICIPANT.ROLE_NAME, role)
                .set(DRILL_PARTICIPANT.PARTICIPANT, name).execute()));
        Map<String, List<String>> after = participantsByRole(drillId);
        if (!before.equals(after)) {
            events.publishEvent(new AuditEvent(actor, "drill.participants-assigned", "drill", String.valueOf(drillId),
                    AuditJson.of("participants", before), AuditJson.of("participants", after)));
        }
    }

    /**
     * Raises a follow-up action (running or finished drills: lessons often come at the end).
     * Publishes {@link DrillActionRaised} for the findings feature.
     */
    @Transactional
    public long raiseAction(long drillId, String title, String owner, LocalDate dueOn, String actor) {
        DrillRecord drill = lock(drillId);
        if (DrillDetail.PLANNED.equals(drill.getStatus())) {
            throw new DrillStateException("Drill " + drillId + " has not started; follow-up actions come from a drill that ran");
        }
        String what = optional(title, TITLE_MAX, "the action");
        if (what == null) {
            throw new IllegalArgumentException("the action needs a title");
        }
        String who = optional(owner, NAME_MAX, "the owner");
        if (who == null) {
            throw new IllegalArgumentException("the action needs an owner (a person or a team)");
        }
        if (dueOn == null) {
            throw new IllegalArgumentException("the action needs a due date");
        }
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        if (dueOn.isBefore(today)) {
            throw new IllegalArgumentException("the due date " + dueOn + " is in the past");
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        long id = db.insertInto(DRILL_ACTION).set(DRILL_ACTION.DRILL_ID, drillId).set(DRILL_ACTION.TITLE, what)
                .set(DRILL_ACTION.OWNER, who).set(DRILL_ACTION.DUE_ON, dueOn).set(DRILL_ACTION.CREATED_BY, actor)
                .set(DRILL_ACTION.CREATED_AT, now).returning(DRILL_ACTION.ID).fetchOne(DRILL_ACTION.ID);
        DrillDetail detail = require(drillId);
        events.publishEvent(new AuditEvent(actor, "drill.action-raised", "drill", String.valueOf(drillId), null,
                AuditJson.of("action_id", id, "title", what, "owner", who, "due_on", dueOn.toString())));
        events.publishEvent(new DrillActionRaised(id, drillId, detail.runbookSlug(), detail.services(), detail.teams(),
                what, who, dueOn, actor, now.toInstant()));
        return id;
    }

    public Optional<DrillDetail> find(long drillId) {
        DrillRecord drill = db.selectFrom(DRILL).where(DRILL.ID.eq(drillId)).fetchOne();
        return drill == null ? Optional.empty() : Optional.of(detail(drill));
    }

    public DrillDetail require(long drillId) {
        return find(drillId).orElseThrow(() -> new PlaybookNotFoundException("No drill " + drillId));
    }

    /** The report of a drill (also of a running one: then it is the report so far). */
    public DrillReport report(long drillId) {
        DrillDetail drill = require(drillId);
        List<Step> late = drill.steps().stream().filter(Step::late).toList();
        List<Step> skipped = drill.steps().stream().filter(s -> Step.SKIPPED.equals(s.status())).toList();
        List<Step> notDone = drill.steps().stream().filter(Step::open).toList();
        List<Step> criticalMissed = drill.steps().stream().filter(s -> s.critical() && !Step.COMPLETED.equals(s.status()))
                .toList();
        int completed = (int) drill.steps().stream().filter(s -> Step.COMPLETED.equals(s.status())).count();
        boolean anyExpectation = drill.steps().stream().anyMatch(s -> s.expectedMinutes() != null);
        Long expected = anyExpectation ? drill.steps().stream().filter(s -> s.expectedMinutes() != null)
                .mapToLong(s -> s.expectedMinutes() * 60L).sum() : null;
        long spent = drill.steps().stream().filter(s -> s.elapsedSeconds() != null).mapToLong(Step::elapsedSeconds).sum();
        return new DrillReport(drill, completed, skipped.size(), notDone.size(), late, skipped, notDone, criticalMissed,
                expected, spent);
    }

    /** Drills, newest first; {@code team} / {@code service} match the drill's scope, {@code runbook} its runbook's slug. */
    public PageResult<DrillSummary> list(String team, String service, String runbook, String status, PageRequest page) {
        Condition where = DSL.trueCondition();
        if (team != null && !team.isBlank()) {
            where = where.and(DRILL.ID.in(DSL.select(DRILL_SCOPE.DRILL_ID).from(DRILL_SCOPE)
                    .where(DRILL_SCOPE.KIND.eq("team").and(DRILL_SCOPE.SCOPE_VALUE.eq(team)))
                    .union(DSL.select(DRILL_SCOPE.DRILL_ID).from(DRILL_SCOPE).where(DRILL_SCOPE.KIND.eq("service")
                            .and(DRILL_SCOPE.SCOPE_VALUE.in(runbooks.servicesOwnedBy(team)))))));
        }
        if (service != null && !service.isBlank()) {
            where = where.and(DRILL.ID.in(DSL.select(DRILL_SCOPE.DRILL_ID).from(DRILL_SCOPE)
                    .where(DRILL_SCOPE.KIND.eq("service").and(DRILL_SCOPE.SCOPE_VALUE.eq(service)))));
        }
        if (runbook != null && !runbook.isBlank()) {
            where = where.and(DRILL.RUNBOOK_ID.in(DSL.select(RUNBOOK.ID).from(RUNBOOK).where(RUNBOOK.SLUG.eq(runbook))));
        }
        if (status != null && !status.isBlank()) {
            if (!List.of(DrillDetail.PLANNED, DrillDetail.RUNNING, DrillDetail.FINISHED).contains(status)) {
                throw new IllegalArgumentException("status must be planned, running or finished");
            }
            where = where.and(DRILL.STATUS.eq(status));
        }
        long total = db.fetchCount(DRILL, where);
        List<DrillRecord> drills = db.selectFrom(DRILL).where(where).orderBy(DRILL.CREATED_AT.desc(), DRILL.ID.desc())
                .limit(page.size()).offset(page.offset()).fetch();
        return new PageResult<>(summaries(drills), total, page.page(), page.size());
    }

    /** The drills of one runbook, newest first (at most 50). */
    public List<DrillSummary> ofRunbook(long runbookId) {
        return summaries(db.selectFrom(DRILL).where(DRILL.RUNBOOK_ID.eq(runbookId))
                .orderBy(DRILL.CREATED_AT.desc(), DRILL.ID.desc()).limit(50).fetch());
    }

    private List<DrillSummary> summaries(List<DrillRecord> drills) {
        if (drills.isEmpty()) {
            return List.of();
        }
        List<Long> ids = drills.stream().map(DrillRecord::getId).toList();
        Map<Long, Map<String, List<String>>> scopes = scopes(ids);
        Map<Long, int[]> counts = new HashMap<>();
        db.select(DRILL_STEP.DRILL_ID, DRILL_STEP.STATUS, DSL.count()).from(DRILL_STEP).where(DRILL_STEP.DRILL_ID.in(ids))
                .groupBy(DRILL_STEP.DRILL_ID, DRILL_STEP.STATUS)
                .forEach(r -> {
                    int[] c = counts.computeIfAbsent(r.value1(), k -> new int[3]);
                    c[0] += r.value3();
                    if (Step.COMPLETED.equals(r.value2())) {
                        c[1] += r.value3();
                    } else if (Step.SKIPPED.equals(r.value2())) {
                        c[2] += r.value3();
                    }
                });
        Map<Long, String[]> runbookInfo = runbookInfo(drills);
        List<DrillSummary> out = new ArrayList<>();
        for (DrillRecord d : drills) {
            Map<String, List<String>> scope = scopes.getOrDefault(d.getId(), Map.of());
            int[] c = counts.getOrDefault(d.getId(), new int[3]);
            String[] info = runbookInfo.get(d.getId());
            out.add(new DrillSummary(d.getId(), d.getRunbookId(), info[0], info[1], Integer.parseInt(info[2]), d.getKind(),
                    d.getStatus(), d.getOutcome(), scope.getOrDefault("service", List.of()),
                    scope.getOrDefault("team", List.of()), d.getCreatedBy(), instant(d.getCreatedAt()),
                    instant(d.getStartedAt()), instant(d.getFinishedAt()), c[0], c[1], c[2]));
        }
        return out;
    }

    /** drill id → {slug, title, version number}. */
    private Map<Long, String[]> runbookInfo(List<DrillRecord> drills) {
        Map<Long, String[]> info = new HashMap<>();
        db.select(DRILL.ID, RUNBOOK.SLUG, RUNBOOK.TITLE, RUNBOOK_VERSION.VERSION_NUMBER).from(DRILL)
                .join(RUNBOOK).on(RUNBOOK.ID.eq(DRILL.RUNBOOK_ID))
                .join(RUNBOOK_VERSION).on(RUNBOOK_VERSION.ID.eq(DRILL.RUNBOOK_VERSION_ID))
                .where(DRILL.ID.in(drills.stream().map(DrillRecord::getId).toList()))
                .forEach(r -> info.put(r.value1(), new String[] {r.value2(), r.value3(), String.valueOf(r.value4())}));
        return info;
    }

    private Map<Long, Map<String, List<String>>> scopes(List<Long> drillIds) {
        Map<Long, Map<String, List<String>>> scopes = new HashMap<>();
        db.selectFrom(DRILL_SCOPE).where(DRILL_SCOPE.DRILL_ID.in(drillIds))
                .orderBy(DRILL_SCOPE.DRILL_ID, DRILL_SCOPE.KIND, DRILL_SCOPE.SCOPE_VALUE)
                .forEach(s -> scopes.computeIfAbsent(s.getDrillId(), id -> new HashMap<>())
                        .computeIfAbsent(s.getKind(), k -> new ArrayList<>()).add(s.getScopeValue()));
        return scopes;
    }

    private DrillDetail detail(DrillRecord d) {
        Instant now = clock.instant();
        RunbookVersion version = runbooks.version(d.getRunbookVersionId());
        Map<String, List<String>> scope = scopes(List.of(d.getId())).getOrDefault(d.getId(), Map.of());
        Instant finishedAt = instant(d.getFinishedAt());
        List<Step> steps = db.selectFrom(DRILL_STEP).where(DRILL_STEP.DRILL_ID.eq(d.getId())).orderBy(DRILL_STEP.POSITION)
                .fetch(s -> toStep(s, finishedAt != null ? finishedAt : now));
        List<DrillDetail.Participant> participants = db.selectFrom(DRILL_PARTICIPANT)
                .where(DRILL_PARTICIPANT.DRILL_ID.eq(d.getId()))
                .orderBy(DRILL_PARTICIPANT.ROLE_NAME, DRILL_PARTICIPANT.PARTICIPANT)
                .fetch(p -> new DrillDetail.Participant(p.getRoleName(), p.getParticipant()));
        List<DrillDetail.Action> actions = db.selectFrom(DRILL_ACTION).where(DRILL_ACTION.DRILL_ID.eq(d.getId()))
                .orderBy(DRILL_ACTION.ID)
                .fetch(a -> new DrillDetail.Action(a.getId(), a.getTitle(), a.getOwner(), a.getDueOn(), a.getCreatedBy(),
                        instant(a.getCreatedAt())));
        List<String> roleNames = version.content() == null ? List.of()
                : version.content().roles().stream().map(RunbookContent.Role::name).toList();
        return new DrillDetail(d.getId(), d.getRunbookId(), version.runbook().slug(), version.runbook().title(),
                version.info().number(), d.getKind(), d.getStatus(), d.getScenario(), d.getCreatedBy(),
                instant(d.getCreatedAt()), instant(d.getStartedAt()), finishedAt, d.getFinishedBy(), d.getOutcome(),
                d.getLessons(), scope.getOrDefault("service", List.of()), scope.getOrDefault("team", List.of()), steps,
                participants, actions, roleNames, now);
    }

    /** An open step's time runs until openUntil: now while the drill runs, its finish afterwards. */
    private static Step toStep(DrillStepRecord s, Instant openUntil) {
        Instant started = instant(s.getStartedAt());
        Instant ended = instant(s.getEndedAt());
        Long elapsed = null;
        if (started != null) {
            Instant end = ended != null ? ended : openUntil;
            elapsed = Math.max(0, Duration.between(started, end).getSeconds());
        }
        return new Step(s.getPosition(), s.getTitle(), s.getExpectedMinutes(), s.getCritical(), s.getStatus(), started,
                s.getStartedBy(), ended, s.getEndedBy(), s.getSkipReason(), s.getNotes(), elapsed);
    }

    private Map<String, List<String>> participantsByRole(long drillId) {
        Map<String, List<String>> byRole = new LinkedHashMap<>();
        db.selectFrom(DRILL_PARTICIPANT).where(DRILL_PARTICIPANT.DRILL_ID.eq(drillId))
                .orderBy(DRILL_PARTICIPANT.ROLE_NAME, DRILL_PARTICIPANT.PARTICIPANT)
                .forEach(p -> byRole.computeIfAbsent(p.getRoleName(), r -> new ArrayList<>()).add(p.getParticipant()));
        return byRole;
    }

    private void auditStep(String actor, String action, DrillRecord drill, int position, String from, String to,
            String text) {
        events.publishEvent(new AuditEvent(actor, action, "drill", drill.getId() + "/steps/" + position,
                AuditJson.of("status", from), AuditJson.of("status", to, "text", text)));
    }

    private DrillRecord lock(long drillId) {
        DrillRecord drill = db.selectFrom(DRILL).where(DRILL.ID.eq(drillId)).forUpdate().fetchOne();
        if (drill == null) {
            throw new PlaybookNotFoundException("No drill " + drillId);
        }
        return drill;
    }

    private DrillRecord lockRunning(long drillId, String what) {
        DrillRecord drill = lock(drillId);
        requireNotFinished(drill);
        if (DrillDetail.PLANNED.equals(drill.getStatus())) {
            throw new DrillStateException("Drill " + drillId + " has not started yet; start the drill before you " + what);
        }
        return drill;
    }

    private static void requireNotFinished(DrillRecord drill) {
        if (DrillDetail.FINISHED.equals(drill.getStatus())) {
            throw new DrillStateException("Drill " + drill.getId() + " finished at " + drill.getFinishedAt().toInstant()
                    + "; a finished drill can no longer change");
        }
    }

    private DrillStepRecord step(long drillId, int position) {
        DrillStepRecord step = db.selectFrom(DRILL_STEP)
                .where(DRILL_STEP.DRILL_ID.eq(drillId).and(DRILL_STEP.POSITION.eq(position))).fetchOne();
        if (step == null) {
            throw new PlaybookNotFoundException("Drill " + drillId + " has no step " + position);
        }
        return step;
    }

    /** Stripped text or null when blank; longer than max is an error naming what. */
    private static String optional(String value, int max, String what) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.strip();
        if (text.length() > max) {
            throw new IllegalArgumentException(what + " is longer than " + max + " characters");
        }
        return text;
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}

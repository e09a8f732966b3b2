package dev.assay.playbooks;

import static dev.assay.playbooks.internal.db.Tables.RUNBOOK;
import static dev.assay.playbooks.internal.db.Tables.RUNBOOK_SCOPE;
import static dev.assay.playbooks.internal.db.Tables.RUNBOOK_VERSION;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.jooq.DSLContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.assay.catalog.Catalog;
import dev.assay.catalog.ServiceSummary;
import dev.assay.common.AuditEvent;
import dev.assay.common.PageRequest;
import dev.assay.common.PageResult;
import dev.assay.playbooks.internal.AuditJson;
import dev.assay.playbooks.internal.RunbookDocumentParser;
import dev.assay.playbooks.internal.db.tables.records.RunbookRecord;
import dev.assay.playbooks.internal.db.tables.records.RunbookVersionRecord;

/**
 * Runbooks and their versions. A version is never changed: an edit in Assay or an import of a
 * changed file adds one. Imports are idempotent: a file whose content equals the last version
 * imported from its source (or the current version) adds nothing, not even an audit line, so a
 * re-collection after the cursors were forgotten changes nothing. An edit made in Assay stays
 * current until the file in the source changes.
 */
@Service
@Transactional(readOnly = true)
public class Runbooks {

    static final String ORIGIN_IMPORT = "import";
    static final String ORIGIN_EDIT = "edit";
    static final int CHANGE_NOTE_MAX = 1000;

    private final DSLContext db;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final RunbookDocumentParser parser;
    private final Catalog catalog;

    Runbooks(DSLContext db, Clock clock, ApplicationEventPublisher events, RunbookDocumentParser parser, Catalog catalog) {
        this.db = db;
        this.clock = clock;
        this.events = events;
        this.parser = parser;
        this.catalog = catalog;
    }

    /** Every runbook, by title. */
    public List<RunbookSummary> all() {
        return summaries(db.selectFrom(RUNBOOK).orderBy(RUNBOOK.TITLE, RUNBOOK.SLUG).fetch());
    }

    /**
     * Filtered and paged. {@code team} matches runbooks that name the team or a service the team owns
     * (in the catalog); {@code stale} true / false keeps only stale / fresh runbooks.
     */
    public PageResult<RunbookSummary> list(String team, String service, String source, Boolean stale, PageRequest page) {
        Set<String> servicesOfTeam = team == null || team.isBlank() ? Set.of() : servicesOwnedBy(team);
        List<RunbookSummary> matching = all().stream()
                .filter(r -> team == null || team.isBlank() || concernsTeam(r, team, servicesOfTeam))
                .filter(r -> service == null || service.isBlank() || r.services().contains(service))
                .filter(r -> source == null || source.isBlank() || source.equals(r.sourceId()))
                .filter(r -> stale == null || r.stale() == stale)
                .toList();
        int from = Math.min(page.offset(), matching.size());
        int to = Math.min(from + page.size(), matching.size());
        return new PageResult<>(matching.subList(from, to), matching.size(), page.page(), page.size());
    }

    /** The services the catalog says a team owns. */
    Set<String> servicesOwnedBy(String team) {
        return catalog.services().stream().filter(s -> team.equals(s.owningTeam())).map(ServiceSummary::name)
                .collect(Collectors.toSet());
    }

    static boolean concernsTeam(RunbookSummary runbook, String team, Set<String> servicesOfTeam) {
        return runbook.teams().contains(team) || runbook.services().stream().anyMatch(servicesOfTeam::contains);
    }

    public Optional<RunbookSummary> find(long id) {
        return Optional.ofNullable(db.selectFrom(RUNBOOK).where(RUNBOOK.ID.eq(id)).fetchOne())
                .map(r -> summaries(List.of(r)).get(0));
    }

    public Optional<RunbookSummary> findBySlug(String slug) {
        return Optional.ofNullable(db.selectFrom(RUNBOOK).where(RUNBOOK.SLUG.eq(slug)).fetchOne())
                .map(r -> summaries(List.of(r)).get(0));
    }

    /** A runbook named by its numeric id or its slug (both work in URLs). */
    public RunbookSummary require(String idOrSlug) {
        Optional<RunbookSummary> found = idOrSlug.matches("\\d{1,18}") ? find(Long.parseLong(idOrSlug))
                : findBySlug(idOrSlug);
        return found.orElseThrow(() -> new PlaybookNotFoundException("No runbook '" + idOrSlug + "'"));
    }

    /** The versions of a runbook, newest first. */
    public List<RunbookVersion.Info> history(long runbookId) {
        return db.selectFrom(RUNBOOK_VERSION).where(RUNBOOK_VERSION.RUNBOOK_ID.eq(runbookId))
                .orderBy(RUNBOOK_VERSION.VERSION_NUMBER.desc()).fetch(Runbooks::info);
    }

    public RunbookVersion current(long runbookId) {
        RunbookSummary runbook = find(runbookId).orElseThrow(() -> new PlaybookNotFoundException("No runbook " + runbookId));
        return version(runbook, runbook.currentVersion());
    }

    public RunbookVersion version(RunbookSummary runbook, int number) {
        RunbookVersionRecord record = db.selectFrom(RUNBOOK_VERSION)
                .where(RUNBOOK_VERSION.RUNBOOK_ID.eq(runbook.id()).and(RUNBOOK_VERSION.VERSION_NUMBER.eq(number))).fetchOne();
        if (record == null) {
            throw new PlaybookNotFoundException("Runbook '" + runbook.slug() + "' has no version " + number
                    + " (it has versions 1 to " + runbook.currentVersion() + ")");
        }
        return toVersion(runbook, record);
    }

    RunbookVersion version(long versionId) {
        RunbookVersionRecord record = db.selectFrom(RUNBOOK_VERSION).where(RUNBOOK_VERSION.ID.eq(versionId)).fetchOne();
        if (record == null) {
            throw new PlaybookNotFoundException("No runbook version " + versionId);
        }
        return toVersion(find(record.getRunbookId()).orElseThrow(), record);
    }

    private RunbookVersion toVersion(RunbookSummary runbook, RunbookVersionRecord record) {
        try {
            return new RunbookVersion(runbook, info(record), record.getDocument(),
                    parser.parse(record.getDocument(), runbook.slug()), null);
        } catch (InvalidRunbookException e) {
            return new RunbookVersion(runbook, info(record), record.getDocument(), null, e.getMessage());
        }
    }

    /** Parses a document without storing it (the edit form checks it, then checks who may save it). */
    public RunbookContent parse(String document, String fallbackSlug) {
        return parser.parse(document, fallbackSlug);
    }

    /**
     * Creates a runbook from a document written in Assay; its front matter must name the slug.
     *
     * @throws InvalidRunbookException  the document is not acceptable
     * @throws RunbookConflictException the slug is taken
     */
    @Transactional
    public RunbookSummary create(String document, String changeNote, String actor) {
        RunbookContent content = parser.parse(document, null);
        String note = changeNote(changeNote, "Created in Assay");
        if (db.fetchExists(RUNBOOK, RUNBOOK.SLUG.eq(content.slug()))) {
            throw new RunbookConflictException("A runbook named '" + content.slug() + "' already exists");
        }
        long id = insertRunbook(content, null, null);
        insertVersion(id, 1, document, actor, note, ORIGIN_EDIT, null);
        replaceScope(id, content);
        events.publishEvent(new AuditEvent(actor, "runbook.created", "runbook", content.slug(), null,
                AuditJson.of("version", 1, "title", content.title(), "sha256", sha256(document))));
        return find(id).orElseThrow();
    }

    /**
     * Saves an edit as a new version. Saving the same text as the current version adds none.
     *
     * @param baseVersion the version the editor started from: if another version was saved meanwhile
     *                    the edit is refused rather than silently overwriting it
     * @param reviewed    the editor reviewed the whole runbook: the review date is set to now
     * @return the new version number, or empty when nothing changed
     * @throws InvalidRunbookException   the document is not acceptable, or renames the runbook
     * @throws RunbookConflictException  another version was saved since baseVersion
     */
    @Transactional
    public Optional<Integer> edit(long runbookId, String document, String changeNote, Integer baseVersion,
            boolean reviewed, String actor) {
        RunbookRecord runbook = lock(runbookId);
        if (baseVersion != null && baseVersion != runbook.getCurrentVersion()) {
            RunbookVersionRecord newer = currentVersionRecord(runbook);
            throw new RunbookConflictException("Version " + runbook.getCurrentVersion() + " was saved by " + newer.getAuthor()
                    + " after you opened version " + baseVersion + "; open the editor again to start from it");
        }
        RunbookContent content = parser.parse(document, runbook.getSlug());
        if (!content.slug().equals(runbook.getSlug())) {
            throw new InvalidRunbookException("runbook '" + content.slug() + "' does not match this runbook's slug '"
                    + runbook.getSlug() + "'; a runbook cannot be renamed");
        }
        if (changeNote == null || changeNote.isBlank()) {
            throw new InvalidRunbookException("a change note is required: say what changed and why");
        }
        String note = changeNote(changeNote, null);
        String sha = sha256(document);
        if (sha.equals(currentVersionRecord(runbook).getContentSha256())) {
            if (reviewed) {
                markReviewed(runbookId, actor);
            }
            return Optional.empty();
        }
        int number = runbook.getCurrentVersion() + 1;
        String before = AuditJson.of("version", runbook.getCurrentVersion(), "title", runbook.getTitle());
        insertVersion(runbookId, number, document, actor, note, ORIGIN_EDIT, null);
        OffsetDateTime now = OffsetDateTime.now(clock);
        applyVersion(runbook, content, number, now, reviewed ? now.toInstant() : null, reviewed ? actor : null);
        events.publishEvent(new AuditEvent(actor, "runbook.edited", "runbook", runbook.getSlug(), before,
                AuditJson.of("version", number, "title", content.title(), "sha256", sha, "change_note", note,
                        "reviewed", reviewed)));
        return Optional.of(number);
    }

    /** Records that someone reviewed the runbook now (its text is unchanged). */
    @Transactional
    public void markReviewed(long runbookId, String actor) {
        RunbookRecord runbook = lock(runbookId);
        OffsetDateTime now = OffsetDateTime.now(clock);
        String before = AuditJson.of("last_reviewed_at", text(runbook.getLastReviewedAt()),
                "last_reviewed_by", runbook.getLastReviewedBy());
        db.update(RUNBOOK).set(RUNBOOK.LAST_REVIEWED_AT, now).set(RUNBOOK.LAST_REVIEWED_BY, actor)
                .where(RUNBOOK.ID.eq(runbookId)).execute();
        events.publishEvent(new AuditEvent(actor, "runbook.reviewed", "runbook", runbook.getSlug(), before,
                AuditJson.of("last_reviewed_at", text(now), "last_reviewed_by", actor)));
    }

    /** The slug's owner when another files source imports it (two sources may not fight over one runbook). */
    Optional<String> importingSource(String slug) {
        return db.select(RUNBOOK.SOURCE_ID).from(RUNBOOK).where(RUNBOOK.SLUG.eq(slug)).fetchOptional(RUNBOOK.SOURCE_ID);
    }

    /**
     * Stores an imported file. Nothing happens (no version, no audit line) when the file's content
     * equals the last version imported from this source, or the current version.
     *
     * @return the version added, or empty when nothing changed
     */
    @Transactional
    Optional<Integer> importDocument(String sourceId, String location, String document, RunbookContent content) {
        String actor = "system:import:" + sourceId;
        String sha = sha256(document);
        String note = cut("Imported from " + location, CHANGE_NOTE_MAX);
        RunbookRecord runbook = db.selectFrom(RUNBOOK).where(RUNBOOK.SLUG.eq(content.slug())).forUpdate().fetchOne();
        if (runbook == null) {
            long id = insertRunbook(content, sourceId, location);
            insertVersion(id, 1, document, actor, note, ORIGIN_IMPORT, sourceId);
            replaceScope(id, content);
            events.publishEvent(new AuditEvent(actor, "runbook.imported", "runbook", content.slug(), null,
                    AuditJson.of("version", 1, "title", content.title(), "sha256", sha, "location", location)));
            return Optional.of(1);
        }
        String lastImported = db.select(RUNBOOK_VERSION.CONTENT_SHA256).from(RUNBOOK_VERSION)
                .where(RUNBOOK_VERSION.RUNBOOK_ID.eq(runbook.getId()).and(RUNBOOK_VERSION.ORIGIN.eq(ORIGIN_IMPORT))
                        .and(RUNBOOK_VERSION.SOURCE_ID.eq(sourceId)))
                .orderBy(RUNBOOK_VERSION.VERSION_NUMBER.desc()).limit(1).fetchOne(RUNBOOK_VERSION.CONTENT_SHA256);
        if (sha.equals(lastImported) || sha.equals(currentVersionRecord(runbook).getContentSha256())) {
            return Optional.empty();
        }
        int number = runbook.getCurrentVersion() + 1;
        String before = AuditJson.of("version", runbook.getCurrentVersion(), "title", runbook.getTitle());
        insertVersion(runbook.getId(), number, document, actor, note, ORIGIN_IMPORT, sourceId);
        db.update(RUNBOOK).set(RUNBOOK.SOURCE_ID, sourceId).set(RUNBOOK.SOURCE_LOCATION, location)
                .where(RUNBOOK.ID.eq(runbook.getId())).execute();
        applyVersion(runbook, content, number, OffsetDateTime.now(clock), null, null);
        events.publishEvent(new AuditEvent(actor, "runbook.reimported", "runbook", content.slug(), before,
                AuditJson.of("version", number, "title", content.title(), "sha256", sha, "location", location)));
        return Optional.of(number);
    }

    private long insertRunbook(RunbookContent content, String sourceId, String location) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return db.insertInto(RUNBOOK)
                .set(RUNBOOK.SLUG, content.slug())
                .set(RUNBOOK.TITLE, content.title())
                .set(RUNBOOK.CURRENT_VERSION, 1)
                .set(RUNBOOK.REVIEW_INTERVAL_DAYS, content.reviewIntervalDays())
                .set(RUNBOOK.LAST_REVIEWED_AT, utc(content.lastReviewed()))
                .set(RUNBOOK.LAST_REVIEWED_BY, content.lastReviewed() == null ? null : "front matter of version 1")
                .set(RUNBOOK.SOURCE_ID, sourceId)
                .set(RUNBOOK.SOURCE_LOCATION, location)
                .set(RUNBOOK.CREATED_AT, now)
                .set(RUNBOOK.UPDATED_AT, now)
                .returning(RUNBOOK.ID).fetchOne(RUNBOOK.ID);
    }

    /**
     * Makes a new version current. The review date only moves forward: to the front matter's
     * {@code last_reviewed} or to an explicit review, whichever is later than the stored one.
     */
    private void applyVersion(RunbookRecord runbook, RunbookContent content, int number, OffsetDateTime now,
            Instant reviewedAt, String reviewedBy) {
        Instant lastReviewed = runbook.getLastReviewedAt() == null ? null : runbook.getLastReviewedAt().toInstant();
        String lastReviewedBy = runbook.getLastReviewedBy();
        if (content.lastReviewed() != null && (lastReviewed == null || content.lastReviewed().isAfter(lastReviewed))) {
            lastReviewed = content.lastReviewed();
            lastReviewedBy = "front matter of version " + number;
        }
        if (reviewedAt != null && (lastReviewed == null || !reviewedAt.isBefore(lastReviewed))) {
            lastReviewed = reviewedAt;
            lastReviewedBy = reviewedBy;
        }
        db.update(RUNBOOK)
                .set(RUNBOOK.TITLE, content.title())
                .set(RUNBOOK.CURRENT_VERSION, number)
                .set(RUNBOOK.REVIEW_INTERVAL_DAYS, content.reviewIntervalDays())
                .set(RUNBOOK.LAST_REVIEWED_AT, utc(lastReviewed))
                .set(RUNBOOK.LAST_REVIEWED_BY, lastReviewedBy)
                .set(RUNBOOK.UPDATED_AT, now)
                .where(RUNBOOK.ID.eq(runbook.getId())).execute();
        replaceScope(runbook.getId(), content);
    }

    private void insertVersion(long runbookId, int number, String document, String author, String note, String origin,
            String sourceId) {
        db.insertInto(RUNBOOK_VERSION)
                .set(RUNBOOK_VERSION.RUNBOOK_ID, runbookId)
                .set(RUNBOOK_VERSION.VERSION_NUMBER, number)
                .set(RUNBOOK_VERSION.DOCUMENT, document)
                .set(RUNBOOK_VERSION.CONTENT_SHA256, sha256(document))
                .set(RUNBOOK_VERSION.AUTHOR, author)
                .set(RUNBOOK_VERSION.CREATED_AT, OffsetDateTime.now(clock))
                .set(RUNBOOK_VERSION.CHANGE_NOTE, note)
                .set(RUNBOOK_VERSION.ORIGIN, origin)
                .set(RUNBOOK_VERSION.SOURCE_ID, sourceId)
                .execute();
    }

    private void replaceScope(long runbookId, RunbookContent content) {
        db.deleteFrom(RUNBOOK_SCOPE).where(RUNBOOK_SCOPE.RUNBOOK_ID.eq(runbookId)).execute();
        insertScope(runbookId, "service", content.services());
        insertScope(runbookId, "team", content.teams());
        insertScope(runbookId, "incident_type", content.incidentTypes());
    }

    private void insertScope(long runbookId, String kind, Collection<String> values) {
        for (String value : values) {
            db.insertInto(RUNBOOK_SCOPE).set(RUNBOOK_SCOPE.RUNBOOK_ID, runbookId).set(RUNBOOK_SCOPE.KIND, kind)
                    .set(RUNBOOK_SCOPE.SCOPE_VALUE, value).execute();
        }
    }

    private RunbookRecord lock(long runbookId) {
        RunbookRecord runbook = db.selectFrom(RUNBOOK).where(RUNBOOK.ID.eq(runbookId)).forUpdate().fetchOne();
        if (runbook == null) {
            throw new PlaybookNotFoundException("No runbook " + runbookId);
        }
        return runbook;
    }

    private RunbookVersionRecord currentVersionRecord(RunbookRecord runbook) {
        return db.selectFrom(RUNBOOK_VERSION).where(RUNBOOK_VERSION.RUNBOOK_ID.eq(runbook.getId())
                .and(RUNBOOK_VERSION.VERSION_NUMBER.eq(runbook.getCurrentVersion()))).fetchOne();
    }

    private List<RunbookSummary> summaries(List<RunbookRecord> records) {
        if (records.isEmpty()) {
            return List.of();
        }
        Map<Long, Map<String, List<String>>> scopes = new HashMap<>();
        db.selectFrom(RUNBOOK_SCOPE).where(RUNBOOK_SCOPE.RUNBOOK_ID.in(records.stream().map(RunbookRecord::getId).toList()))
                .orderBy(RUNBOOK_SCOPE.RUNBOOK_ID, RUNBOOK_SCOPE.KIND, RUNBOOK_SCOPE.SCOPE_VALUE)
                .forEach(s -> scopes.computeIfAbsent(s.getRunbookId(), id -> new HashMap<>())
                        .computeIfAbsent(s.getKind(), k -> new ArrayList<>()).add(s.getScopeValue()));
        Instant now = clock.instant();
        List<RunbookSummary> summaries = new ArrayList<>();
        for (RunbookRecord r : records) {
            Map<String, List<String>> scope = scopes.getOrDefault(r.getId(), Map.of());
            Instant reviewed = r.getLastReviewedAt() == null ? null : r.getLastReviewedAt().toInstant();
            Instant due = reviewed == null ? null : reviewed.plus(Duration.ofDays(r.getReviewIntervalDays()));
            summaries.add(new RunbookSummary(r.getId(), r.getSlug(), r.getTitle(), scope.getOrDefault("service", List.of()),
                    scope.getOrDefault("team", List.of()), scope.getOrDefault("incident_type", List.of()),
                    r.getCurrentVersion(), r.getReviewIntervalDays(), reviewed, r.getLastReviewedBy(), due,
                    isStale(reviewed, r.getReviewIntervalDays(), now), r.getCreatedAt().toInstant(),
                    r.getUpdatedAt().toInstant(), r.getSourceId(), r.getSourceLocation()));
        }
        return summaries;
    }

    /** Stale: never reviewed, or last reviewed + interval is before now. */
    static boolean isStale(Instant lastReviewed, int intervalDays, Instant now) {
        return lastReviewed == null || lastReviewed.plus(Duration.ofDays(intervalDays)).isBefore(now);
    }

    private static RunbookVersion.Info info(RunbookVersionRecord v) {
        return new RunbookVersion.Info(v.getId(), v.getVersionNumber(), v.getAuthor(), v.getCreatedAt().toInstant(),
                v.getChangeNote(), v.getOrigin(), v.getSourceId(), v.getContentSha256());
    }

    private static String changeNote(String note, String fallback) {
        String value = note == null || note.isBlank() ? fallback : note.strip();
        if (value != null && value.length() > CHANGE_NOTE_MAX) {
            throw new InvalidRunbookException("the change note is longer than " + CHANGE_NOTE_MAX + " characters");
        }
        return value;
    }

    private static String cut(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max - 3) + "...";
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static String text(OffsetDateTime time) {
        return time == null ? null : time.toInstant().toString();
    }

    static String sha256(String document) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(document.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}

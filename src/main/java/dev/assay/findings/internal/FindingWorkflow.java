package dev.assay.findings.internal;

import static dev.assay.findings.internal.db.Tables.FINDING;
import static dev.assay.findings.internal.db.Tables.FINDING_EVENT;
import static dev.assay.findings.internal.db.Tables.FINDING_REPORT;
import static dev.assay.findings.internal.db.Tables.RISK_ACCEPTANCE;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.jooq.DSLContext;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.assay.catalog.Catalog;
import dev.assay.catalog.TeamDetail;
import dev.assay.findings.FindingStatus;
import dev.assay.findings.internal.FindingAccess.UserAccess;
import dev.assay.findings.internal.db.tables.records.FindingRecord;
import dev.assay.findings.internal.db.tables.records.RiskAcceptanceRecord;

/**
 * What people do to findings (DESIGN §5–§6): assign, start, stop, mark a false positive, reopen,
 * request a risk acceptance, approve / reject / withdraw it, comment. Every method checks the user's
 * right on that finding's service ({@link FindingAccess}), locks the finding, checks the transition
 * is allowed from its current status, and writes the history line and the audit line in the same
 * transaction. "Fixed" is never set by hand: only the evidence (a scan, a resolved policy) fixes.
 * <p>
 * Transitions: open ⇄ in_progress; open | in_progress → false_positive (reason) | risk_accepted
 * (approved request); false_positive | risk_accepted → open (reopen; for an acceptance: revoke).
 */
@Service
public class FindingWorkflow {

    /** Usernames as the catalog and Assay spell them. */
    static final Pattern USERNAME = Pattern.compile("[\\p{L}\\p{N}._@+-]{1,200}");
    static final int REASON_MIN = 3;
    static final int REASON_MAX = 2000;
    static final int JUSTIFICATION_MIN = 10;
    static final int JUSTIFICATION_MAX = 4000;
    static final int COMMENT_MAX = 4000;

    private final DSLContext db;
    private final FindingAccess access;
    private final FindingWriter writer;
    private final FindingHistory history;
    private final FindingSearch search;
    private final Catalog catalog;
    private final SlaPolicies sla;
    private final FindingsSettings settings;
    private final Clock clock;

    FindingWorkflow(DSLContext db, FindingAccess access, FindingWriter writer, FindingHistory history, FindingSearch search,
            Catalog catalog, SlaPolicies sla, FindingsSettings settings, Clock clock) {
        this.db = db;
        this.access = access;
        this.writer = writer;
        this.history = history;
        this.search = search;
        this.catalog = catalog;
        this.sla = sla;
        this.settings = settings;
        this.clock = clock;
    }

    // --- reading ------------------------------------------------------------------------------

    /**
     * @throws FindingNotFoundException  when there is no such finding
     * @throws FindingForbiddenException when the user may not see it (another team's service)
     */
    @Transactional(readOnly = true)
    public FindingDetail detail(UserAccess user, long id) {
        FindingRow row = search.row(user, id).orElseThrow(() -> new FindingNotFoundException("No finding " + id));
        requireVisible(user, row.service(), id);
        List<FindingDetail.Report> reports = db.selectFrom(FINDING_REPORT).where(FINDING_REPORT.FINDING_ID.eq(id))
                .orderBy(FINDING_REPORT.STILL_REPORTED.desc(), FINDING_REPORT.ARTIFACT_DIGEST, FINDING_REPORT.SCANNER)
                .fetch(r -> new FindingDetail.Report(r.getArtifactDigest(), r.getScanner(), r.getScanId(), r.getSeverity(),
                        r.getCvssScore(), r.getCvssVector(), r.getFixedVersion(), r.getFirstSeenAt().toInstant(),
                        r.getSeenAt().toInstant(), r.getStillReported(), instant(r.getDroppedAt()), r.getDroppedByScanId()));
        List<FindingDetail.Event> events = db.selectFrom(FINDING_EVENT).where(FINDING_EVENT.FINDING_ID.eq(id))
                .orderBy(FINDING_EVENT.OCCURRED_AT, FINDING_EVENT.ID)
                .fetch(e -> new FindingDetail.Event(e.getOccurredAt().toInstant(), e.getActor(), e.getAction(),
                        e.getFromStatus(), e.getToStatus(), e.getDetail()));
        List<Acceptance> acceptances = db.selectFrom(RISK_ACCEPTANCE).where(RISK_ACCEPTANCE.FINDING_ID.eq(id))
                .orderBy(RISK_ACCEPTANCE.REQUESTED_AT.desc(), RISK_ACCEPTANCE.ID.desc()).fetch(FindingWorkflow::toAcceptance);
        Acceptance pending = acceptances.stream().filter(a -> a.status().equals(FindingWriter.RA_PENDING)).findFirst().orElse(null);
        Acceptance current = acceptances.stream().filter(a -> a.status().equals(FindingWriter.RA_APPROVED)).findFirst().orElse(null);
        String detail = db.select(FINDING.DETAIL).from(FINDING).where(FINDING.ID.eq(id)).fetchOne(FINDING.DETAIL);
        Set<String> actions = actions(user, row.service(), row.status(), pending);
        List<String> assignees = actions.contains(FindingAction.ASSIGN) ? assignees(user, row.team()) : List.of();
        return new FindingDetail(row, detail, reports, events, acceptances, pending, current, actions, assignees);
    }

    /** The actions the user may take on a finding of this service in this status. */
    public Set<String> actions(UserAccess user, String service, FindingStatus status, Acceptance pending) {
        Set<String> actions = new LinkedHashSet<>();
        if (!user.canChange(service)) {
            return actions;
        }
        actions.add(FindingAction.COMMENT);
        switch (status) {
            case OPEN:
            case IN_PROGRESS:
                actions.add(FindingAction.ASSIGN);
                actions.add(status == FindingStatus.OPEN ? FindingAction.START : FindingAction.STOP);
                actions.add(FindingAction.FALSE_POSITIVE);
                if (pending == null) {
                    actions.add(FindingAction.REQUEST_RISK_ACCEPTANCE);
                }
                break;
            case RISK_ACCEPTED:
            case FALSE_POSITIVE:
                actions.add(FindingAction.ASSIGN);
                actions.add(FindingAction.REOPEN);
                break;
            default:
                break;
        }
        if (pending != null) {
            actions.add(FindingAction.WITHDRAW);
            if (user.isSecurity() && !pending.requestedBy().equals(user.name())) {
                actions.add(FindingAction.APPROVE);
                actions.add(FindingAction.REJECT);
            }
        }
        return actions;
    }

    /** Who a finding can be assigned to: the members of the owning team (and the user). */
    private List<String> assignees(UserAccess user, String team) {
        Set<String> names = new TreeSet<>();
        names.add(user.name());
        if (team != null) {
            catalog.team(team).map(TeamDetail::members).orElse(List.of()).forEach(m -> names.add(m.username()));
        }
        return List.copyOf(names);
    }

    // --- changes ------------------------------------------------------------------------------

    /** Assigns the finding to a member of the owning team or to oneself; a blank assignee unassigns it. */
    @Transactional
    public void assign(long id, String assignee, Authentication user) {
        UserAccess me = access.of(user);
        FindingRecord finding = lockForChange(me, id);
        FindingStatus status = FindingStatus.parse(finding.getStatus());
        if (status == FindingStatus.FIXED) {
            throw new FindingConflictException("Finding " + id + " is fixed: there is nothing to assign");
        }
        String target = assignee == null || assignee.isBlank() ? null : assignee.trim();
        if (target != null) {
            if (!USERNAME.matcher(target).matches()) {
                throw new IllegalArgumentException("assignee must be a username (letters, digits, . _ @ + -), at most 200 characters");
            }
            String team = me.owningTeam(finding.getServiceName());
            if (!target.equals(me.name()) && !me.isMemberOf(target, team)) {
                throw new IllegalArgumentException("'" + target + "' is not a member of "
                        + (team == null ? "a team that owns " + finding.getServiceName() : "team " + team)
                        + "; assign it to a member of the owning team or to yourself");
            }
        }
        String before = finding.getAssignee();
        if (Objects.equals(before, target)) {
            return;
        }
        finding.setAssignee(target);
        touch(finding);
        history.change(id, now(), me.name(), FindingAction.ASSIGN, null, null,
                target == null ? "unassigned" : "assigned to " + target, map("assignee", before), map("assignee", target));
    }

    /** open → in_progress; an unassigned finding is assigned to the person who starts it. */
    @Transactional
    public void start(long id, Authentication user) {
        UserAccess me = access.of(user);
        FindingRecord finding = lockForChange(me, id);
        requireStatus(finding, "start", FindingStatus.OPEN);
        OffsetDateTime now = now();
        String assignedBefore = finding.getAssignee();
        FindingWriter.setStatus(finding, FindingStatus.IN_PROGRESS);
        finding.setStatusChangedAt(now);
        if (assignedBefore == null) {
            finding.setAssignee(me.name());
        }
        touch(finding);
        history.change(id, now, me.name(), FindingAction.START, FindingStatus.OPEN, FindingStatus.IN_PROGRESS,
                assignedBefore == null ? "started and assigned to " + me.name() : "started",
                map("status", FindingStatus.OPEN.slug(), "assignee", assignedBefore),
                map("status", FindingStatus.IN_PROGRESS.slug(), "assignee", finding.getAssignee()));
    }

    /** in_progress → open. */
    @Transactional
    public void stop(long id, Authentication user) {
        UserAccess me = access.of(user);
        FindingRecord finding = lockForChange(me, id);
        requireStatus(finding, "stop", FindingStatus.IN_PROGRESS);
        OffsetDateTime now = now();
        FindingWriter.setStatus(finding, FindingStatus.OPEN);
        finding.setStatusChangedAt(now);
        touch(finding);
        history.transition(id, now, me.name(), FindingAction.STOP, FindingStatus.IN_PROGRESS, FindingStatus.OPEN, null);
    }

    /** open | in_progress → false_positive, with the reason. A pending risk acceptance is withdrawn. */
    @Transactional
    public void markFalsePositive(long id, String reason, Authentication user) {
        UserAccess me = access.of(user);
        String why = text(reason, "reason", REASON_MIN, REASON_MAX);
        FindingRecord finding = lockForChange(me, id);
        FindingStatus from = requireStatus(finding, "mark as a false positive", FindingStatus.OPEN, FindingStatus.IN_PROGRESS);
        OffsetDateTime now = now();
        FindingWriter.setStatus(finding, FindingStatus.FALSE_POSITIVE);
        finding.setStatusChangedAt(now);
        finding.setResolutionNote(why);
        touch(finding);
        writer.endAcceptances(id, now, "withdrawn", List.of(FindingWriter.RA_PENDING));
        history.transition(id, now, me.name(), FindingAction.FALSE_POSITIVE, from, FindingStatus.FALSE_POSITIVE, why);
    }

    /** false_positive | risk_accepted → open. Reopening an accepted finding revokes its acceptance. */
    @Transactional
    public void reopen(long id, String reason, Authentication user) {
        UserAccess me = access.of(user);
        FindingRecord finding = lockForChange(me, id);
        FindingStatus from = requireStatus(finding, "reopen", FindingStatus.FALSE_POSITIVE, FindingStatus.RISK_ACCEPTED);
        OffsetDateTime now = now();
        String why = reason == null || reason.isBlank() ? null : text(reason, "reason", 1, REASON_MAX);
        if (from == FindingStatus.RISK_ACCEPTED) {
            writer.endAcceptances(id, now, "revoked", List.of(FindingWriter.RA_APPROVED));
        }
        finding.setResolutionNote(null);
        writer.reopen(finding, now, me.name(), FindingAction.REOPEN,
                (from == FindingStatus.RISK_ACCEPTED ? "risk acceptance revoked" : "no longer a false positive")
                        + (why == null ? "" : ": " + why),
                sla.table());
    }

    /**
     * Asks SECURITY to accept the risk of an open or in-progress finding until {@code expiresAt}.
     *
     * @return the id of the request
     */
    @Transactional
    public long requestRiskAcceptance(long id, String justification, Instant expiresAt, Authentication user) {
        UserAccess me = access.of(user);
        String why = text(justification, "justification", JUSTIFICATION_MIN, JUSTIFICATION_MAX);
        OffsetDateTime now = now();
        if (expiresAt == null) {
            throw new IllegalArgumentException("a risk acceptance needs an expiry date");
        }
        if (!expiresAt.isAfter(now.toInstant())) {
            throw new IllegalArgumentException("the expiry must be in the future");
        }
        if (expiresAt.isAfter(now.toInstant().plus(Duration.ofDays(settings.maxRiskAcceptanceDays())))) {
            throw new IllegalArgumentException("the expiry may be at most " + settings.maxRiskAcceptanceDays() + " days ahead");
        }
        FindingRecord finding = lockForChange(me, id);
        FindingStatus status = requireStatus(finding, "request a risk acceptance for", FindingStatus.OPEN, FindingStatus.IN_PROGRESS);
        if (db.fetchCount(RISK_ACCEPTANCE, RISK_ACCEPTANCE.FINDING_ID.eq(id).and(RISK_ACCEPTANCE.STATUS.eq(FindingWriter.RA_PENDING))) > 0) {
            throw new FindingConflictException("Finding " + id + " already has a pending risk acceptance request");
        }
        RiskAcceptanceRecord request = db.newRecord(RISK_ACCEPTANCE);
        request.setFindingId(id);
        request.setStatus(FindingWriter.RA_PENDING);
        request.setJustification(why);
        request.setExpiresAt(expiresAt.atOffset(ZoneOffset.UTC));
        request.setRequestedBy(me.name());
        request.setRequestedAt(now);
        request.store();
        touch(finding);
        history.change(id, now, me.name(), FindingAction.REQUEST_RISK_ACCEPTANCE, status, status,
                "risk acceptance requested until " + expiresAt + ": " + why, null,
                map("risk_acceptance", request.getId(), "expires_at", expiresAt.toString(), "justification", why));
        return request.getId();
    }

    /**
     * Approves a pending request: the finding becomes risk_accepted until the expiry. SECURITY only,
     * and never the person who asked (two people see every accepted risk).
     */
    @Transactional
    public void approve(long acceptanceId, String note, Authentication user) {
        UserAccess me = access.of(user);
        RiskAcceptanceRecord request = decidable(me, acceptanceId, "approve");
        FindingRecord finding = writer.lock(request.getFindingId());
        FindingStatus from = requireStatus(finding, "accept the risk of", FindingStatus.OPEN, FindingStatus.IN_PROGRESS);
        OffsetDateTime now = now();
        if (!request.getExpiresAt().isAfter(now)) {
            throw new FindingConflictException("The requested expiry (" + request.getExpiresAt().toInstant()
                    + ") has passed; reject this request and ask for a new one");
        }
        String decision = optional(note, "note");
        request.setStatus(FindingWriter.RA_APPROVED);
        request.setDecidedBy(me.name());
        request.setDecidedAt(now);
        request.setDecisionNote(decision);
        request.store();
        FindingWriter.setStatus(finding, FindingStatus.RISK_ACCEPTED);
        finding.setStatusChangedAt(now);
        touch(finding);
        history.change(finding.getId(), now, me.name(), FindingAction.APPROVE, from, FindingStatus.RISK_ACCEPTED,
                "risk accepted until " + request.getExpiresAt().toInstant() + " (requested by " + request.getRequestedBy() + ")"
                        + (decision == null ? "" : ": " + decision),
                map("status", from.slug(), "risk_acceptance", acceptanceId),
                map("status", FindingStatus.RISK_ACCEPTED.slug(), "risk_acceptance", acceptanceId, "expires_at",
                        request.getExpiresAt().toInstant().toString(), "approved_by", me.name()));
    }

    /** Rejects a pending request (SECURITY, not the requester); the finding stays as it is. */
    @Transactional
    public void reject(long acceptanceId, String note, Authentication user) {
        UserAccess me = access.of(user);
        RiskAcceptanceRecord request = decidable(me, acceptanceId, "reject");
        FindingRecord finding = writer.lock(request.getFindingId());
        String decision = optional(note, "note");
        OffsetDateTime now = now();
        request.setStatus("rejected");
        request.setDecidedBy(me.name());
        request.setDecidedAt(now);
        request.setDecisionNote(decision);
        request.store();
        touch(finding);
        FindingStatus status = FindingStatus.parse(finding.getStatus());
        history.change(finding.getId(), now, me.name(), FindingAction.REJECT, status, status,
                "risk acceptance rejected" + (decision == null ? "" : ": " + decision),
                map("risk_acceptance", acceptanceId, "status", FindingWriter.RA_PENDING),
                map("risk_acceptance", acceptanceId, "status", "rejected"));
    }

    /** Withdraws a pending request: its requester, or anyone who may change the finding. */
    @Transactional
    public void withdraw(long acceptanceId, Authentication user) {
        UserAccess me = access.of(user);
        RiskAcceptanceRecord request = lockAcceptance(acceptanceId);
        FindingRecord finding = lockForChange(me, request.getFindingId());
        if (!request.getStatus().equals(FindingWriter.RA_PENDING)) {
            throw new FindingConflictException("Risk acceptance " + acceptanceId + " is " + request.getStatus() + ", not pending");
        }
        OffsetDateTime now = now();
        request.setStatus("withdrawn");
        request.setEndedAt(now);
        request.store();
        touch(finding);
        FindingStatus status = FindingStatus.parse(finding.getStatus());
        history.change(finding.getId(), now, me.name(), FindingAction.WITHDRAW, status, status, "risk acceptance request withdrawn",
                map("risk_acceptance", acceptanceId, "status", FindingWriter.RA_PENDING),
                map("risk_acceptance", acceptanceId, "status", "withdrawn"));
    }

    /** A comment in the finding's history (and the audit log). */
    @Transactional
    public void comment(long id, String body, Authentication user) {
        UserAccess me = access.of(user);
        String text = text(body, "comment", 1, COMMENT_MAX);
        FindingRecord finding = lockForChange(me, id);
        touch(finding);
        history.change(id, now(), me.name(), FindingAction.COMMENT, null, null, text, null, map("comment", text));
    }

    // --- approvals queue ------------------------------------------------------------------------

    /** A risk acceptance with its finding, for the approvals page. */
    public record AcceptanceItem(Acceptance acceptance, FindingRow finding, boolean canDecide) {
    }

    /** Pending requests the user may see, oldest first. */
    @Transactional(readOnly = true)
    public List<AcceptanceItem> pending(UserAccess user) {
        return acceptances(user, RISK_ACCEPTANCE.STATUS.eq(FindingWriter.RA_PENDING), true);
    }

    /** Approved acceptances running out within the given time, soonest first. */
    @Transactional(readOnly = true)
    public List<AcceptanceItem> expiringWithin(UserAccess user, Duration within) {
        OffsetDateTime now = now();
        return acceptances(user, RISK_ACCEPTANCE.STATUS.eq(FindingWriter.RA_APPROVED)
                .and(RISK_ACCEPTANCE.EXPIRES_AT.le(now.plus(within))), false);
    }

    private List<AcceptanceItem> acceptances(UserAccess user, org.jooq.Condition condition, boolean byRequest) {
        Set<String> visible = user.visibleServices();
        org.jooq.Condition where = condition;
        if (visible != null) {
            where = where.and(visible.isEmpty() ? org.jooq.impl.DSL.falseCondition() : FINDING.SERVICE_NAME.in(visible));
        }
        Instant now = clock.instant();
        List<AcceptanceItem> items = new ArrayList<>();
        var records = db.select().from(RISK_ACCEPTANCE).join(FINDING).on(FINDING.ID.eq(RISK_ACCEPTANCE.FINDING_ID)).where(where)
                .orderBy(byRequest ? RISK_ACCEPTANCE.REQUESTED_AT.asc() : RISK_ACCEPTANCE.EXPIRES_AT.asc(), RISK_ACCEPTANCE.ID)
                .limit(500).fetch();
        user.lookUp(records.stream().map(r -> r.get(FINDING.SERVICE_NAME)).distinct().toList());
        records.forEach(r -> {
            Acceptance acceptance = toAcceptance(r.into(RISK_ACCEPTANCE));
            FindingRow row = FindingSearch.toRow(r, user, now);
            boolean canDecide = byRequest && user.isSecurity() && !acceptance.requestedBy().equals(user.name());
            items.add(new AcceptanceItem(acceptance, row, canDecide));
        });
        return items;
    }

    // --- helpers ------------------------------------------------------------------------------

    private FindingRecord lockForChange(UserAccess me, long id) {
        FindingRecord finding = writer.lock(id);
        if (!me.canChange(finding.getServiceName())) {
            String team = me.owningTeam(finding.getServiceName());
            throw new FindingForbiddenException("Only " + (team == null ? "SECURITY or ADMIN (service "
                    + finding.getServiceName() + " has no owning team)" : "members of team " + team + " (which owns "
                    + finding.getServiceName() + "), SECURITY or ADMIN") + " can change finding " + id);
        }
        return finding;
    }

    private void requireVisible(UserAccess me, String service, long id) {
        if (!me.canSee(service)) {
            throw new FindingForbiddenException("Finding " + id + " belongs to a service none of your teams owns");
        }
    }

    private RiskAcceptanceRecord decidable(UserAccess me, long acceptanceId, String verb) {
        if (!me.isSecurity()) {
            throw new FindingForbiddenException("Only a SECURITY user can " + verb + " a risk acceptance");
        }
        RiskAcceptanceRecord request = lockAcceptance(acceptanceId);
        if (request.getRequestedBy().equals(me.name())) {
            throw new FindingForbiddenException("You requested risk acceptance " + acceptanceId
                    + "; another SECURITY user must " + verb + " it");
        }
        if (!request.getStatus().equals(FindingWriter.RA_PENDING)) {
            throw new FindingConflictException("Risk acceptance " + acceptanceId + " is " + request.getStatus() + ", not pending");
        }
        return request;
    }

    private RiskAcceptanceRecord lockAcceptance(long acceptanceId) {
        RiskAcceptanceRecord request = db.selectFrom(RISK_ACCEPTANCE).where(RISK_ACCEPTANCE.ID.eq(acceptanceId)).forUpdate().fetchOne();
        if (request == null) {
            throw new FindingNotFoundException("No risk acceptance " + acceptanceId);
        }
        return request;
    }

    private static FindingStatus requireStatus(FindingRecord finding, String verb, FindingStatus... allowed) {
        FindingStatus status = FindingStatus.parse(finding.getStatus());
        for (FindingStatus s : allowed) {
            if (s == status) {
                return status;
            }
        }
        List<String> names = new ArrayList<>();
        for (FindingStatus s : allowed) {
            names.add(s.label());
        }
        throw new FindingConflictException("Cannot " + verb + " finding " + finding.getId() + ": it is " + status.label()
                + " (only " + String.join(" or ", names) + " findings)");
    }

    private void touch(FindingRecord finding) {
        finding.setUpdatedAt(now());
        finding.store();
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock);
    }

    private static String text(String value, String name, int min, int max) {
        String text = value == null ? "" : value.strip();
        if (text.length() < min) {
            throw new IllegalArgumentException(min <= 1 ? name + " is required" : name + " must be at least " + min + " characters");
        }
        if (text.length() > max) {
            throw new IllegalArgumentException(name + " must be at most " + max + " characters");
        }
        return text;
    }

    private static String optional(String value, String name) {
        return value == null || value.isBlank() ? null : text(value, name, 1, REASON_MAX);
    }

    static Acceptance toAcceptance(RiskAcceptanceRecord r) {
        return new Acceptance(r.getId(), r.getFindingId(), r.getStatus(), r.getJustification(), r.getExpiresAt().toInstant(),
                r.getRequestedBy(), r.getRequestedAt().toInstant(), r.getDecidedBy(), instant(r.getDecidedAt()),
                r.getDecisionNote(), instant(r.getEndedAt()));
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    /** An ordered map of key/value pairs (values may be null), for audit state. */
    private static Map<String, Object> map(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }
}

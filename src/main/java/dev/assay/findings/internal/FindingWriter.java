package dev.assay.findings.internal;

import static dev.assay.findings.internal.db.Tables.FINDING;
import static dev.assay.findings.internal.db.Tables.FINDING_REPORT;
import static dev.assay.findings.internal.db.Tables.RISK_ACCEPTANCE;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;

import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

import dev.assay.findings.FindingStatus;
import dev.assay.findings.Severity;
import dev.assay.findings.internal.SlaPolicies.SlaTable;
import dev.assay.findings.internal.db.tables.records.FindingRecord;
import dev.assay.findings.internal.db.tables.records.FindingReportRecord;

/**
 * The changes of a finding's state that intake, the workflow and the expiry check share: locking,
 * fixing, reopening, and deriving severity / CVSS / fixed version from the reports. Callers run
 * inside their own transaction and hold the finding's row lock ({@link #lock}) while they change it,
 * so a scan and a person changing the same finding at once are serialised, never interleaved.
 */
@Component
public class FindingWriter {

    public static final String RA_PENDING = "pending";
    public static final String RA_APPROVED = "approved";

    private final DSLContext db;
    private final FindingHistory history;
    private final Clock clock;

    FindingWriter(DSLContext db, FindingHistory history, Clock clock) {
        this.db = db;
        this.history = history;
        this.clock = clock;
    }

    /** The finding, locked for update until the transaction ends. */
    public FindingRecord lock(long id) {
        FindingRecord record = db.selectFrom(FINDING).where(FINDING.ID.eq(id)).forUpdate().fetchOne();
        if (record == null) {
            throw new FindingNotFoundException("No finding " + id);
        }
        return record;
    }

    public FindingRecord lock(String serviceName, String identitySha256) {
        return db.selectFrom(FINDING)
                .where(FINDING.SERVICE_NAME.eq(serviceName).and(FINDING.IDENTITY_SHA256.eq(identitySha256)))
                .forUpdate().fetchOne();
    }

    /**
     * Fixed: the evidence (a scan, a resolved policy) shows the finding gone at {@code at}. An approved
     * or pending risk acceptance is superseded: there is nothing left to accept.
     */
    public void fix(FindingRecord finding, OffsetDateTime at, String actor, String detail) {
        FindingStatus from = FindingStatus.parse(finding.getStatus());
        setStatus(finding, FindingStatus.FIXED);
        finding.setFixedAt(at);
        finding.setStatusChangedAt(at);
        finding.setUpdatedAt(OffsetDateTime.now(clock));
        finding.store();
        endAcceptances(finding.getId(), at, "superseded", List.of(RA_PENDING, RA_APPROVED));
        history.transition(finding.getId(), at, actor, "fixed", from, FindingStatus.FIXED, detail);
    }

    /**
     * Open again: it was fixed and is reported again, or a risk acceptance ran out, or a person
     * reopened a false positive. The due date keeps first seen (the exposure started then) under
     * the current SLA policy.
     */
    public void reopen(FindingRecord finding, OffsetDateTime at, String actor, String action, String detail, SlaTable sla) {
        FindingStatus from = FindingStatus.parse(finding.getStatus());
        setStatus(finding, FindingStatus.OPEN);
        finding.setFixedAt(null);
        finding.setStatusChangedAt(at);
        applySla(finding, sla);
        finding.setUpdatedAt(OffsetDateTime.now(clock));
        finding.store();
        history.transition(finding.getId(), at, actor, action, from, FindingStatus.OPEN, detail);
    }

    /** Ends the finding's acceptances in the given statuses (e.g. superseded when it is fixed). */
    public void endAcceptances(long findingId, OffsetDateTime at, String newStatus, List<String> fromStatuses) {
        db.update(RISK_ACCEPTANCE).set(RISK_ACCEPTANCE.STATUS, newStatus).set(RISK_ACCEPTANCE.ENDED_AT, at)
                .where(RISK_ACCEPTANCE.FINDING_ID.eq(findingId).and(RISK_ACCEPTANCE.STATUS.in(fromStatuses)))
                .execute();
    }

    /** Sets the status and the actionable flag that goes with it (V30 checks they agree). */
    public static void setStatus(FindingRecord finding, FindingStatus status) {
        finding.setStatus(status.slug());
        finding.setActionable(status.actionable());
    }

    /** sla_days and due_at from the policy for the finding's severity and service tier. */
    public static void applySla(FindingRecord finding, SlaTable sla) {
        Severity severity = Severity.parse(finding.getSeverity());
        int days = sla.days(severity, finding.getServiceTier());
        finding.setSlaDays(days);
        finding.setDueAt(sla.due(finding.getFirstSeenAt(), severity, finding.getServiceTier()));
    }

    /**
     * Severity, CVSS, fixed version and title from the reports that still report the finding: the
     * highest severity wins (DESIGN: a finding is as severe as its worst report), the highest CVSS
     * score is shown with its vector, and the fixed version and title come from the most severe report
     * that has one. With no report left the last known values stay. Answers whether the severity changed.
     */
    public boolean deriveFromReports(FindingRecord finding) {
        List<FindingReportRecord> reports = db.selectFrom(FINDING_REPORT)
                .where(FINDING_REPORT.FINDING_ID.eq(finding.getId()).and(FINDING_REPORT.STILL_REPORTED.isTrue()))
                .fetch();
        if (reports.isEmpty()) {
            return false;
        }
        List<FindingReportRecord> bySeverity = reports.stream()
                .sorted(Comparator.comparing((FindingReportRecord r) -> -Severity.parse(r.getSeverity()).rank())
                        .thenComparing(FindingReportRecord::getScanner).thenComparing(FindingReportRecord::getArtifactDigest))
                .toList();
        Severity highest = Severity.parse(bySeverity.get(0).getSeverity());
        boolean changed = !highest.slug().equals(finding.getSeverity());
        finding.setSeverity(highest.slug());
        finding.setSeverityRank(highest.rank());
        FindingReportRecord topScore = reports.stream().filter(r -> r.getCvssScore() != null)
                .max(Comparator.comparing(FindingReportRecord::getCvssScore)).orElse(null);
        if (topScore != null) {
            finding.setCvssScore(topScore.getCvssScore());
            finding.setCvssVector(topScore.getCvssVector());
        }
        bySeverity.stream().map(FindingReportRecord::getFixedVersion).filter(v -> v != null && !v.isBlank()).findFirst()
                .ifPresent(finding::setFixedVersion);
        bySeverity.stream().map(FindingReportRecord::getTitle).filter(v -> v != null && !v.isBlank()).findFirst()
                .ifPresent(finding::setTitle);
        return changed;
    }
}

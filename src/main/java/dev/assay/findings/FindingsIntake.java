package dev.assay.findings;

import static dev.assay.findings.internal.db.Tables.FINDING;
import static dev.assay.findings.internal.db.Tables.FINDING_REPORT;
import static dev.assay.findings.internal.db.Tables.FINDING_SCAN;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jooq.DSLContext;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.assay.catalog.Catalog;
import dev.assay.catalog.ServiceDetail;
import dev.assay.findings.internal.FindingHistory;
import dev.assay.findings.internal.FindingIdentity;
import dev.assay.findings.internal.FindingWriter;
import dev.assay.findings.internal.SlaPolicies;
import dev.assay.findings.internal.SlaPolicies.SlaTable;
import dev.assay.findings.internal.db.tables.records.FindingRecord;
import dev.assay.findings.internal.db.tables.records.FindingReportRecord;
import dev.assay.findings.internal.db.tables.records.FindingScanRecord;

/**
 * How other features report facts that become findings: scans of artifacts (vulnerabilities,
 * secrets, IaC results) and policy violations. Findings are deduplicated per service by a stable
 * identity (service + source + vulnerability id + package + installed version; for policies service
 * + policy + subject), so two scanners reporting one CVE on one package version make one finding
 * with two reports.
 * <p>
 * <b>Replacement and automatic fix.</b> The newest scan of an artifact by a scanner replaces what
 * that scanner reported for that artifact before. A finding is fixed automatically when no artifact
 * of the service still reports it by its newest scan (of any scanner that reported it), and reopened
 * when a newer scan reports it again. Replacement is per scanner because scanners use different
 * advisory databases: a Grype scan that does not know a CVE Trivy reported is not evidence of a fix.
 * A scan with refused results (see {@link ScanIntakeResult#rejected()}) records what it could but
 * fixes nothing, since the refused results might have been the findings it seems to drop. A scan
 * older than the newest recorded one of the same artifact and scanner is stale and changes nothing.
 * <p>
 * Each method is one transaction; calling it again with the same input changes nothing.
 */
@Service
public class FindingsIntake {

    private final DSLContext db;
    private final Catalog catalog;
    private final SlaPolicies sla;
    private final FindingWriter writer;
    private final FindingHistory history;
    private final Clock clock;

    FindingsIntake(DSLContext db, Catalog catalog, SlaPolicies sla, FindingWriter writer, FindingHistory history, Clock clock) {
        this.db = db;
        this.catalog = catalog;
        this.sla = sla;
        this.writer = writer;
        this.history = history;
        this.clock = clock;
    }

    /**
     * Records a scan of an artifact of a service.
     *
     * @throws IllegalArgumentException when the report itself (service, artifact, scanner, scan id,
     *                                  time, result list) is missing something; a bad result only
     *                                  refuses that result (see the answer)
     */
    @Transactional
    public ScanIntakeResult reportScan(ScanReport report) {
        validate(report);
        OffsetDateTime at = utc(report.scannedAt());
        String actor = "system:scan:" + report.scanner();
        List<String> rejected = new ArrayList<>();
        Map<String, Merged> results = merge(report.vulnerabilities(), rejected);

        FindingScanRecord scan = lockScan(report, at, results.size(), rejected.isEmpty());
        if (scan.getScannedAt().isAfter(at)) {
            return new ScanIntakeResult(true, 0, 0, 0, 0, rejected);
        }
        Integer tier = tierOf(report.serviceName());
        SlaTable policy = sla.table();
        sla.reapplyToService(report.serviceName(), tier);

        int created = 0;
        int reopened = 0;
        Set<Long> reportedIds = new LinkedHashSet<>();
        for (Merged result : results.values()) {
            FindingIdentity identity = result.identity();
            boolean isNew = insertIfAbsent(report.serviceName(), identity, result.vulnerability().severity(), at, tier, policy);
            FindingRecord finding = writer.lock(report.serviceName(), identity.sha256());
            reportedIds.add(finding.getId());
            String where = "scan " + report.scanId() + " of " + report.artifactDigest() + " by " + report.scanner();
            boolean newReport = upsertReport(finding.getId(), report, result.vulnerability(), at);
            boolean wasFixed = FindingStatus.parse(finding.getStatus()) == FindingStatus.FIXED;
            if (isNew) {
                created++;
                history.note(finding.getId(), at, actor, "created", "first reported by " + where);
            } else if (newReport && !wasFixed) {
                history.note(finding.getId(), at, actor, "reported", "also reported by " + where);
            }
            refreshSeen(finding, at);
            writer.deriveFromReports(finding);
            if (wasFixed) {
                writer.reopen(finding, at, actor, "reopened", "reported again by " + where, policy);
                reopened++;
            } else {
                FindingWriter.applySla(finding, policy);
                finding.setUpdatedAt(OffsetDateTime.now(clock));
                finding.store();
            }
        }

        int fixed = 0;
        if (rejected.isEmpty()) {
            fixed = dropUnreported(report, at, reportedIds, actor, policy);
        }
        scan.setScanId(report.scanId());
        scan.setScannedAt(at);
        scan.setReceivedAt(OffsetDateTime.now(clock));
        scan.setReportedCount(results.size());
        scan.setComplete(rejected.isEmpty());
        scan.setRetiredAt(null);
        scan.store();
        return new ScanIntakeResult(false, created, reopened, fixed, results.size(), List.copyOf(rejected));
    }

    /**
     * An artifact of the service is no longer in use (superseded, deleted from the registry): what
     * its scans reported no longer counts, so findings only it reported are fixed.
     *
     * @return the number of findings fixed
     */
    @Transactional
    public int retireArtifact(String serviceName, String artifactDigest, Instant at) {
        require(serviceName, "serviceName", 200);
        require(artifactDigest, "artifactDigest", 300);
        if (at == null) {
            throw new IllegalArgumentException("retireArtifact needs the time the artifact was retired");
        }
        OffsetDateTime when = utc(at);
        List<FindingScanRecord> scans = db.selectFrom(FINDING_SCAN)
                .where(FINDING_SCAN.SERVICE_NAME.eq(serviceName).and(FINDING_SCAN.ARTIFACT_DIGEST.eq(artifactDigest)))
                .forUpdate().fetch();
        SlaTable policy = sla.table();
        int fixed = 0;
        for (FindingScanRecord scan : scans) {
            fixed += dropReports(serviceName, artifactDigest, scan.getScanner(), Set.of(), when, "retired",
                    "system:artifact-retired", "artifact " + artifactDigest + " was retired", policy);
            scan.setRetiredAt(when);
            scan.store();
        }
        return fixed;
    }

    /**
     * Records that a service violates a policy now. Reporting it again refreshes last seen, severity,
     * title and detail; a violation that had been resolved is reopened.
     */
    @Transactional
    public PolicyIntakeResult reportPolicy(PolicyViolation violation) {
        validate(violation);
        OffsetDateTime at = utc(violation.observedAt());
        FindingIdentity identity = new FindingIdentity(FindingSource.POLICY, violation.policy().slug(), violation.subject(), "");
        Integer tier = tierOf(violation.serviceName());
        SlaTable policy = sla.table();
        sla.reapplyToService(violation.serviceName(), tier);
        String actor = "system:policy:" + violation.reportedBy();
        boolean created = insertIfAbsent(violation.serviceName(), identity, violation.severity(), at, tier, policy);
        FindingRecord finding = writer.lock(violation.serviceName(), identity.sha256());
        finding.setTitle(cut(violation.title() == null || violation.title().isBlank()
                ? violation.policy().title() + ": " + violation.subject() : violation.title(), 1000));
        finding.setDetail(cut(violation.detail(), 4000));
        finding.setSeverity(violation.severity().slug());
        finding.setSeverityRank(violation.severity().rank());
        refreshSeen(finding, at);
        boolean reopened = false;
        if (created) {
            history.note(finding.getId(), at, actor, "created", violation.policy().title() + " reported by " + violation.reportedBy());
        }
        if (FindingStatus.parse(finding.getStatus()) == FindingStatus.FIXED) {
            writer.reopen(finding, at, actor, "reopened", "violation reported again by " + violation.reportedBy(), policy);
            reopened = true;
        } else {
            FindingWriter.applySla(finding, policy);
            finding.setUpdatedAt(OffsetDateTime.now(clock));
            finding.store();
        }
        return new PolicyIntakeResult(finding.getId(), created, reopened);
    }

    /**
     * The service no longer violates the policy for this subject: its finding is fixed (unless it is
     * a false positive, which stays as it was).
     *
     * @return true when a finding was fixed
     */
    @Transactional
    public boolean resolvePolicy(String serviceName, Policy policy, String subject, String resolvedBy, Instant resolvedAt) {
        require(serviceName, "serviceName", 200);
        require(subject, "subject", 1000);
        if (policy == null || resolvedAt == null) {
            throw new IllegalArgumentException("resolvePolicy needs the policy and the time it was resolved");
        }
        String by = resolvedBy == null || resolvedBy.isBlank() ? "unknown" : resolvedBy;
        FindingIdentity identity = new FindingIdentity(FindingSource.POLICY, policy.slug(), subject, "");
        FindingRecord finding = writer.lock(serviceName, identity.sha256());
        if (finding == null) {
            return false;
        }
        FindingStatus status = FindingStatus.parse(finding.getStatus());
        if (status == FindingStatus.FIXED || status == FindingStatus.FALSE_POSITIVE) {
            return false;
        }
        writer.fix(finding, utc(resolvedAt), "system:policy:" + by, "violation resolved (reported by " + by + ")");
        return true;
    }

    // --- scans -----------------------------------------------------------------------------------

    private FindingScanRecord lockScan(ScanReport report, OffsetDateTime at, int count, boolean complete) {
        db.insertInto(FINDING_SCAN)
                .set(FINDING_SCAN.SERVICE_NAME, report.serviceName())
                .set(FINDING_SCAN.ARTIFACT_DIGEST, report.artifactDigest())
                .set(FINDING_SCAN.SCANNER, report.scanner())
                .set(FINDING_SCAN.SCAN_ID, report.scanId())
                .set(FINDING_SCAN.SCANNED_AT, at)
                .set(FINDING_SCAN.RECEIVED_AT, OffsetDateTime.now(clock))
                .set(FINDING_SCAN.REPORTED_COUNT, count)
                .set(FINDING_SCAN.COMPLETE, complete)
                // The conflict named: on H2 jOOQ emulates this with a MERGE, which for an unnamed
                // conflict also matches on the generated id and then reads the whole table per insert.
                .onConflict(FINDING_SCAN.SERVICE_NAME, FINDING_SCAN.ARTIFACT_DIGEST, FINDING_SCAN.SCANNER).doNothing()
                .execute();
        return db.selectFrom(FINDING_SCAN)
                .where(FINDING_SCAN.SERVICE_NAME.eq(report.serviceName())
                        .and(FINDING_SCAN.ARTIFACT_DIGEST.eq(report.artifactDigest()))
                        .and(FINDING_SCAN.SCANNER.eq(report.scanner())))
                .forUpdate().fetchSingle();
    }

    /** Inserts the finding when its identity is new; answers whether it did. */
    private boolean insertIfAbsent(String serviceName, FindingIdentity identity, Severity severity, OffsetDateTime at,
            Integer tier, SlaTable policy) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return db.insertInto(FINDING)
                .set(FINDING.SERVICE_NAME, serviceName)
                .set(FINDING.SOURCE, identity.source().slug())
                .set(FINDING.RULE_ID, identity.ruleId())
                .set(FINDING.SUBJECT, identity.subject())
                .set(FINDING.INSTALLED_VERSION, identity.installedVersion())
                .set(FINDING.IDENTITY_SHA256, identity.sha256())
                .set(FINDING.SEVERITY, severity.slug())
                .set(FINDING.SEVERITY_RANK, severity.rank())
                .set(FINDING.STATUS, FindingStatus.OPEN.slug())
                .set(FINDING.ACTIONABLE, true)
                .set(FINDING.SERVICE_TIER, tier)
                .set(FINDING.SLA_DAYS, policy.days(severity, tier))
                .set(FINDING.FIRST_SEEN_AT, at)
                .set(FINDING.LAST_SEEN_AT, at)
                .set(FINDING.DUE_AT, policy.due(at, severity, tier))
                .set(FINDING.STATUS_CHANGED_AT, at)
                .set(FINDING.CREATED_AT, now)
                .set(FINDING.UPDATED_AT, now)
                // The conflict named (finding_identity_uk): see lockScan.
                .onConflict(FINDING.SERVICE_NAME, FINDING.IDENTITY_SHA256).doNothing()
                .execute() == 1;
    }

    /** Inserts or refreshes the (finding, artifact, scanner) report; answers whether it was not reported before. */
    private boolean upsertReport(long findingId, ScanReport report, ReportedVulnerability v, OffsetDateTime at) {
        FindingReportRecord existing = db.selectFrom(FINDING_REPORT)
                .where(FINDING_REPORT.FINDING_ID.eq(findingId).and(FINDING_REPORT.ARTIFACT_DIGEST.eq(report.artifactDigest()))
                        .and(FINDING_REPORT.SCANNER.eq(report.scanner())))
                .fetchOne();
        FindingReportRecord row = existing == null ? db.newRecord(FINDING_REPORT) : existing;
        boolean wasReported = existing != null && Boolean.TRUE.equals(existing.getStillReported());
        if (existing == null) {
            row.setFindingId(findingId);
            row.setArtifactDigest(report.artifactDigest());
            row.setScanner(report.scanner());
            row.setFirstSeenAt(at);
        }
        row.setScanId(report.scanId());
        row.setSeverity(v.severity().slug());
        row.setCvssScore(v.cvssScore());
        row.setCvssVector(cut(v.cvssVector(), 300));
        row.setFixedVersion(cut(blankToNull(v.fixedVersion()), 300));
        row.setTitle(cut(blankToNull(v.title()), 1000));
        row.setSeenAt(at);
        row.setStillReported(true);
        row.setDroppedAt(null);
        row.setDroppedByScanId(null);
        row.store();
        return !wasReported;
    }

    private int dropUnreported(ScanReport report, OffsetDateTime at, Set<Long> reportedIds, String actor, SlaTable policy) {
        return dropReports(report.serviceName(), report.artifactDigest(), report.scanner(), reportedIds, at,
                report.scanId(), actor, "scan " + report.scanId() + " of " + report.artifactDigest() + " by "
                        + report.scanner() + " no longer reports it", policy);
    }

    /**
     * Marks the still-reported reports of (service, artifact, scanner) whose finding is not in
     * {@code keep} as no longer reported, and fixes each finding left with no report at all.
     */
    private int dropReports(String serviceName, String artifactDigest, String scanner, Set<Long> keep, OffsetDateTime at,
            String droppedBy, String actor, String why, SlaTable policy) {
        List<Long> dropped = db.select(FINDING_REPORT.FINDING_ID).from(FINDING_REPORT)
                .join(FINDING).on(FINDING.ID.eq(FINDING_REPORT.FINDING_ID))
                .where(FINDING.SERVICE_NAME.eq(serviceName).and(FINDING_REPORT.ARTIFACT_DIGEST.eq(artifactDigest))
                        .and(FINDING_REPORT.SCANNER.eq(scanner)).and(FINDING_REPORT.STILL_REPORTED.isTrue()))
                .orderBy(FINDING_REPORT.FINDING_ID)
                .fetch(FINDING_REPORT.FINDING_ID).stream().filter(id -> !keep.contains(id)).toList();
        int fixed = 0;
        for (Long findingId : dropped) {
            FindingRecord finding = writer.lock(findingId);
            db.update(FINDING_REPORT).set(FINDING_REPORT.STILL_REPORTED, false).set(FINDING_REPORT.DROPPED_AT, at)
                    .set(FINDING_REPORT.DROPPED_BY_SCAN_ID, droppedBy)
                    .where(FINDING_REPORT.FINDING_ID.eq(findingId).and(FINDING_REPORT.ARTIFACT_DIGEST.eq(artifactDigest))
                            .and(FINDING_REPORT.SCANNER.eq(scanner)))
                    .execute();
            // A count, not EXISTS: H2 2.x was seen answering a repeated EXISTS with its result from before
            // an UPDATE earlier in the same transaction.
            boolean stillReported = db.fetchCount(FINDING_REPORT,
                    FINDING_REPORT.FINDING_ID.eq(findingId).and(FINDING_REPORT.STILL_REPORTED.isTrue())) > 0;
            FindingStatus status = FindingStatus.parse(finding.getStatus());
            if (!stillReported && status != FindingStatus.FIXED && status != FindingStatus.FALSE_POSITIVE) {
                writer.fix(finding, at, actor, why);
                fixed++;
            } else if (stillReported && status != FindingStatus.FIXED) {
                writer.deriveFromReports(finding);
                FindingWriter.applySla(finding, policy);
                finding.setUpdatedAt(OffsetDateTime.now(clock));
                finding.store();
            }
        }
        return fixed;
    }

    private static void refreshSeen(FindingRecord finding, OffsetDateTime at) {
        if (at.isAfter(finding.getLastSeenAt())) {
            finding.setLastSeenAt(at);
        }
        // A late scan of another artifact can carry earlier evidence: first seen is the earliest.
        if (at.isBefore(finding.getFirstSeenAt())) {
            finding.setFirstSeenAt(at);
        }
    }

    /** Validates and merges the results by identity: duplicates within one scan become one, the most severe. */
    private static Map<String, Merged> merge(List<ReportedVulnerability> results, List<String> rejected) {
        Map<String, Merged> merged = new LinkedHashMap<>();
        for (int i = 0; i < results.size(); i++) {
            ReportedVulnerability v = results.get(i);
            String problem = problem(v);
            if (problem != null) {
                rejected.add("result " + (i + 1) + (v != null && v.vulnerabilityId() != null ? " (" + v.vulnerabilityId() + ")" : "")
                        + ": " + problem);
                continue;
            }
            FindingSource kind = v.kind() == null ? FindingSource.VULNERABILITY : v.kind();
            Severity severity = v.severity() == null ? Severity.UNKNOWN : v.severity();
            ReportedVulnerability normal = new ReportedVulnerability(v.vulnerabilityId().trim(), v.packageName().trim(),
                    blankToNull(v.installedVersion()), v.fixedVersion(), severity, v.cvssScore(), v.cvssVector(), v.title(), kind);
            FindingIdentity identity = new FindingIdentity(kind, normal.vulnerabilityId(), normal.packageName(), normal.installedVersion());
            merged.merge(identity.sha256(), new Merged(identity, normal), Merged::combine);
        }
        return merged;
    }

    private static String problem(ReportedVulnerability v) {
        if (v == null) {
            return "empty result";
        }
        if (v.vulnerabilityId() == null || v.vulnerabilityId().isBlank()) {
            return "no vulnerability id";
        }
        if (v.vulnerabilityId().trim().length() > 300) {
            return "vulnerability id longer than 300 characters";
        }
        if (v.packageName() == null || v.packageName().isBlank()) {
            return "no package";
        }
        if (v.packageName().trim().length() > 1000) {
            return "package longer than 1000 characters";
        }
        if (v.installedVersion() != null && v.installedVersion().trim().length() > 300) {
            return "installed version longer than 300 characters";
        }
        if (v.kind() == FindingSource.POLICY) {
            return "kind must be vulnerability, secret or iac (policy findings are reported with reportPolicy)";
        }
        if (v.cvssScore() != null && (v.cvssScore().isNaN() || v.cvssScore() < 0 || v.cvssScore() > 10)) {
            return "CVSS score " + v.cvssScore() + " is outside 0–10";
        }
        return null;
    }

    private record Merged(FindingIdentity identity, ReportedVulnerability vulnerability) {

        Merged combine(Merged other) {
            ReportedVulnerability a = vulnerability;
            ReportedVulnerability b = other.vulnerability;
            ReportedVulnerability top = b.severity().higherThan(a.severity()) ? b : a;
            ReportedVulnerability rest = top == a ? b : a;
            Double score = a.cvssScore() == null ? b.cvssScore()
                    : b.cvssScore() == null ? a.cvssScore() : Double.valueOf(Math.max(a.cvssScore(), b.cvssScore()));
            String vector = score == null ? null
                    : score.equals(top.cvssScore()) ? top.cvssVector() : rest.cvssVector();
            return new Merged(identity, new ReportedVulnerability(top.vulnerabilityId(), top.packageName(),
                    top.installedVersion(), top.fixedVersion() != null ? top.fixedVersion() : rest.fixedVersion(),
                    top.severity(), score, vector, top.title() != null ? top.title() : rest.title(), top.kind()));
        }
    }

    // --- validation and helpers --------------------------------------------------------------------

    private static void validate(ScanReport report) {
        if (report == null) {
            throw new IllegalArgumentException("no scan report");
        }
        require(report.serviceName(), "serviceName", 200);
        require(report.artifactDigest(), "artifactDigest", 300);
        require(report.scanner(), "scanner", 100);
        require(report.scanId(), "scanId", 300);
        if (report.scannedAt() == null) {
            throw new IllegalArgumentException("the scan report has no scannedAt");
        }
        if (report.vulnerabilities() == null) {
            throw new IllegalArgumentException("the scan report has no result list (an empty list means a clean artifact)");
        }
    }

    private static void validate(PolicyViolation violation) {
        if (violation == null) {
            throw new IllegalArgumentException("no policy violation");
        }
        require(violation.serviceName(), "serviceName", 200);
        require(violation.subject(), "subject", 1000);
        require(violation.reportedBy(), "reportedBy", 100);
        if (violation.policy() == null || violation.severity() == null || violation.observedAt() == null) {
            throw new IllegalArgumentException("a policy violation needs its policy, severity and observedAt");
        }
    }

    private static void require(String value, String name, int max) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        if (value.length() > max) {
            throw new IllegalArgumentException(name + " is longer than " + max + " characters");
        }
    }

    private Integer tierOf(String serviceName) {
        return catalog.service(serviceName).map(ServiceDetail::service).map(s -> s.tier()).orElse(null);
    }

    /**
     * In UTC and truncated to the microsecond the database keeps: a time with nanoseconds would be
     * rounded by the database, and compare unequal to itself once read back.
     */
    private static OffsetDateTime utc(Instant instant) {
        return instant.truncatedTo(java.time.temporal.ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max - 1) + "…";
    }
}

package dev.assay.artifacts;

import static dev.assay.artifacts.internal.db.Tables.ARTIFACT;
import static dev.assay.artifacts.internal.db.Tables.ARTIFACT_REPOSITORY;
import static dev.assay.artifacts.internal.db.Tables.SCAN_REPORT;
import static dev.assay.artifacts.internal.db.Tables.SCAN_RESULT;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jooq.DSLContext;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.assay.artifacts.internal.db.tables.records.ScanReportRecord;

/**
 * Scan reports and their results, for the findings feature (which learns of new ones from
 * {@link ScanIngested}) and for the pages.
 */
@Service
@Transactional(readOnly = true)
public class ScanReports {

    private final DSLContext db;

    ScanReports(DSLContext db) {
        this.db = db;
    }

    public Optional<ScanSummary> scan(long scanId) {
        ScanReportRecord r = db.selectFrom(SCAN_REPORT).where(SCAN_REPORT.ID.eq(scanId)).fetchOne();
        return Optional.ofNullable(r).map(this::summary);
    }

    /** Every result of a scan, in the order the scanner reported them. */
    public List<ScanFinding> findings(long scanId) {
        return db.selectFrom(SCAN_RESULT).where(SCAN_RESULT.SCAN_ID.eq(scanId)).orderBy(SCAN_RESULT.ORDINAL)
                .fetch(r -> new ScanFinding(r.getResultId(), r.getKind(), r.getPackageName(), r.getPackageType(), r.getPurl(),
                        r.getInstalledVersion(), r.getFixedVersion(), r.getSeverity(), r.getCvssScore(), r.getCvssVector(),
                        r.getTitle(), r.getLocation(), r.getSuppressed(), r.getSuppressionStatus()));
    }

    /** The scans of an artifact, newest first. */
    public List<ScanSummary> scansOf(String digest) {
        return db.select(SCAN_REPORT.fields()).from(SCAN_REPORT).join(ARTIFACT).on(ARTIFACT.ID.eq(SCAN_REPORT.ARTIFACT_ID))
                .where(ARTIFACT.DIGEST.eq(digest)).orderBy(SCAN_REPORT.SCANNED_AT.desc(), SCAN_REPORT.ID.desc())
                .fetchInto(SCAN_REPORT).map(this::summary);
    }

    private ScanSummary summary(ScanReportRecord r) {
        String digest = db.select(ARTIFACT.DIGEST).from(ARTIFACT).where(ARTIFACT.ID.eq(r.getArtifactId())).fetchOne(ARTIFACT.DIGEST);
        List<String> repositories = db.select(ARTIFACT_REPOSITORY.REPOSITORY).from(ARTIFACT_REPOSITORY)
                .where(ARTIFACT_REPOSITORY.ARTIFACT_ID.eq(r.getArtifactId())).orderBy(ARTIFACT_REPOSITORY.REPOSITORY)
                .fetch(ARTIFACT_REPOSITORY.REPOSITORY);
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("critical", r.getCriticalCount());
        counts.put("high", r.getHighCount());
        counts.put("medium", r.getMediumCount());
        counts.put("low", r.getLowCount());
        counts.put("none", r.getNoneCount());
        counts.put("unknown", r.getUnknownCount());
        return new ScanSummary(r.getId(), digest, repositories, r.getFormat(), r.getScanner(), r.getScannerVersion(),
                r.getScannedAt().toInstant(), r.getIngestedAt().toInstant(), counts, r.getResultCount(), r.getSuppressedCount());
    }
}

package dev.assay.findings.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.event.TransactionalEventListener;

import dev.assay.artifacts.ScanFinding;
import dev.assay.artifacts.ScanIngested;
import dev.assay.artifacts.ScanReports;
import dev.assay.artifacts.ScanSummary;
import dev.assay.findings.FindingSource;
import dev.assay.findings.FindingsIntake;
import dev.assay.findings.ReportedVulnerability;
import dev.assay.findings.ScanIntakeResult;
import dev.assay.findings.ScanReport;
import dev.assay.findings.Severity;

/**
 * Turns every scan report the artifacts feature stores into findings of the services whose image
 * repositories hold the scanned artifact. It runs after the scan's transaction committed, in a
 * transaction of its own: a problem here never loses the stored scan, and the scan can be fed again.
 * <p>
 * Suppressed results (an accepted SARIF suppression) are not findings. A scan of an artifact no
 * service claims yet makes no finding (there is nobody to hold to an SLA); it is logged.
 */
@Component
class ScanFindingsFeed {

    /** Results with no package or location are attributed to the image itself. */
    static final String WHOLE_ARTIFACT = "(artifact)";

    private static final Logger log = LoggerFactory.getLogger(ScanFindingsFeed.class);

    private final ScanReports scans;
    private final FindingsIntake intake;

    ScanFindingsFeed(ScanReports scans, FindingsIntake intake) {
        this.scans = scans;
        this.intake = intake;
    }

    @TransactionalEventListener(fallbackExecution = true)
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void on(ScanIngested event) {
        Optional<ScanSummary> summary = scans.scan(event.scanId());
        if (summary.isEmpty()) {
            return;
        }
        if (event.serviceNames().isEmpty()) {
            log.info("Scan {} of {} makes no findings: no catalog service claims the artifact's repositories",
                    event.scanId(), event.artifactDigest());
            return;
        }
        List<ReportedVulnerability> results = results(scans.findings(event.scanId()));
        ScanSummary scan = summary.get();
        String artifact = scan.repositories().isEmpty() ? scan.artifactDigest() : scan.repositories().get(0) + "@" + scan.artifactDigest();
        for (String service : event.serviceNames()) {
            ScanIntakeResult result = intake.reportScan(new ScanReport(service, artifact, scannerOf(scan),
                    String.valueOf(scan.id()), scan.scannedAt(), results));
            if (!result.rejected().isEmpty()) {
                log.warn("Scan {} of {}: {} result(s) refused for {}: {}", scan.id(), artifact, result.rejected().size(), service,
                        result.rejected());
            }
        }
    }

    static List<ReportedVulnerability> results(List<ScanFinding> findings) {
        List<ReportedVulnerability> results = new ArrayList<>();
        for (ScanFinding f : findings) {
            if (f.suppressed()) {
                continue;
            }
            results.add(new ReportedVulnerability(f.resultId(), where(f), f.installedVersion(), f.fixedVersion(),
                    Severity.fromScanner(f.severity()).orElse(Severity.UNKNOWN), f.cvssScore(), f.cvssVector(), f.title(),
                    kindOf(f.kind())));
        }
        return results;
    }

    private static String where(ScanFinding f) {
        if (f.packageName() != null && !f.packageName().isBlank()) {
            return f.packageName();
        }
        return f.location() != null && !f.location().isBlank() ? f.location() : WHOLE_ARTIFACT;
    }

    private static FindingSource kindOf(String kind) {
        if ("secret".equals(kind)) {
            return FindingSource.SECRET;
        }
        return "misconfiguration".equals(kind) ? FindingSource.IAC : FindingSource.VULNERABILITY;
    }

    private static String scannerOf(ScanSummary scan) {
        return scan.scanner() == null || scan.scanner().isBlank() ? scan.format() : scan.scanner();
    }
}

package dev.assay.findings;

import static dev.assay.findings.FindingsTestData.CHECKOUT_API;
import static dev.assay.findings.FindingsTestData.IMAGE_A;
import static dev.assay.findings.FindingsTestData.IMAGE_B;
import static dev.assay.findings.FindingsTestData.scan;
import static dev.assay.findings.FindingsTestData.vuln;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.assay.catalog.Catalog;
import dev.assay.collect.CollectionLauncher;
import dev.assay.collect.JobExecutions;

/**
 * Scan and policy intake: deduplication across scanners, replacement by the newest scan of an
 * artifact, automatic fix and reopen, stale and partial scans, policy findings.
 */
@FindingsIntegrationTest
class FindingIntakeTests {

    static final Instant T0 = Instant.parse("2026-02-01T10:00:00Z");

    @Autowired FindingsIntake intake;
    @Autowired Catalog catalog;
    @Autowired CollectionLauncher launcher;
    @Autowired JobExecutions executions;
    @Autowired DataSource dataSource;
    @Autowired TestClock clock;

    JdbcTemplate jdbc;

    @BeforeEach
    void setUp() {
        FindingsTestData.freshDatabaseWithCatalog(dataSource, catalog, launcher, executions);
        jdbc = new JdbcTemplate(dataSource);
        clock.set(Instant.parse("2026-03-01T12:00:00Z"));
    }

    /**
     * Scanners and clocks give nanoseconds; the database keeps microseconds (and rounds). A scan
     * whose time had 750 ns past the microsecond was once stored rounded up, and the next scan,
     * which no longer reported the vulnerability, did not fix it.
     */
    @Test
    void scanTimesWithNanosecondsAreKeptToTheMicrosecondAndTheNextScanStillFixes() {
        Instant first = Instant.parse("2026-02-01T10:00:00.123456750Z");
        intake.reportScan(scan(CHECKOUT_API, IMAGE_A, "trivy", "trivy-1", first, vuln("CVE-2024-0001", "openssl", "3.0.1", Severity.HIGH)));
        ScanIntakeResult next = intake.reportScan(scan(CHECKOUT_API, IMAGE_A, "trivy", "trivy-2", first.plusSeconds(86_400)));

        assertThat(next).isEqualTo(new ScanIntakeResult(false, 0, 0, 1, 0, List.of()));
        Map<String, Object> f = jdbc.queryForMap("select * from finding");
        assertThat(f.get("status")).isEqualTo("fixed");
        assertThat(time(f.get("first_seen_at"))).isEqualTo(Instant.parse("2026-02-01T10:00:00.123456Z"));
        assertThat(time(f.get("fixed_at"))).isEqualTo(Instant.parse("2026-02-02T10:00:00.123456Z"));
    }

    @Test
    void twoScannersReportingTheSameCveOnTheSamePackageVersionMakeOneFindingWithBothReports() {
        ScanIntakeResult trivy = intake.reportScan(scan(CHECKOUT_API, IMAGE_A, "trivy", "trivy-1", T0,
                vuln("CVE-2024-0001", "openssl", "3.0.1", "3.0.2", Severity.HIGH, 7.5, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N")));
        // Grype spells the id in lower case and rates it critical: still the same finding.
        ScanIntakeResult grype = intake.reportScan(scan(CHECKOUT_API, IMAGE_A, "grype", "grype-1", T0.plusSeconds(86_400),
                vuln("cve-2024-0001", "openssl", "3.0.1", null, Severity.CRITICAL, 9.8, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")));

        assertThat(trivy).isEqualTo(new ScanIntakeResult(false, 1, 0, 0, 1, List.of()));
        assertThat(grype).isEqualTo(new ScanIntakeResult(false, 0, 0, 0, 1, List.of()));
        assertThat(count("finding")).isEqualTo(1);
        Map<String, Object> f = jdbc.queryForMap("select * from finding");
        assertThat(f.get("rule_id")).isEqualTo("CVE-2024-0001");
        assertThat(f.get("subject")).isEqualTo("openssl");
        assertThat(f.get("installed_version")).isEqualTo("3.0.1");
        assertThat(f.get("severity")).isEqualTo("critical");
        assertThat(f.get("cvss_score")).isEqualTo(9.8);
        assertThat(f.get("cvss_vector")).isEqualTo("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
        // The fixed version comes from the most severe report that has one (only Trivy's has).
        assertThat(f.get("fixed_version")).isEqualTo("3.0.2");
        assertThat(f.get("status")).isEqualTo("open");
        assertThat(time(f.get("first_seen_at"))).isEqualTo(T0);
        assertThat(time(f.get("last_seen_at"))).isEqualTo(T0.plusSeconds(86_400));
        // checkout-api is tier 1; critical → 7 days after first seen.
        assertThat(f.get("sla_days")).isEqualTo(7);
        assertThat(time(f.get("due_at"))).isEqualTo(Instant.parse("2026-02-08T10:00:00Z"));
        assertThat(jdbc.queryForList("select scanner || '|' || scan_id || '|' || severity || '|' || artifact_digest from finding_report"
                + " order by scanner", String.class))
                .containsExactly("grype|grype-1|critical|" + IMAGE_A, "trivy|trivy-1|high|" + IMAGE_A);
        assertThat(jdbc.queryForList("select action from finding_event order by id", String.class))
                .containsExactly("created", "reported");
    }

    @Test
    void differentInstalledVersionsOrServicesAreDifferentFindingsAndDuplicatesWithinOneScanAreMerged() {
        ScanIntakeResult result = intake.reportScan(scan(CHECKOUT_API, IMAGE_A, "trivy", "t-1", T0,
                vuln("CVE-2024-0001", "openssl", "3.0.1", Severity.MEDIUM),
                vuln("CVE-2024-0001", "openssl", "3.0.1", Severity.HIGH),
                vuln("CVE-2024-0001", "openssl", "3.0.7", Severity.HIGH)));
        intake.reportScan(scan(FindingsTestData.LEDGER, "registry.example.com/acme/ledger@sha256:cccc", "trivy", "t-2", T0,
                vuln("CVE-2024-0001", "openssl", "3.0.1", Severity.HIGH)));

        assertThat(result).isEqualTo(new ScanIntakeResult(false, 2, 0, 0, 2, List.of()));
        assertThat(jdbc.queryForList("select service_name || '|' || installed_version || '|' || severity from finding order by id",
                String.class)).containsExactly("checkout-api|3.0.1|high", "checkout-api|3.0.7|high", "ledger-service|3.0.1|high");
        // ledger-service is tier 2, high → 30 days; checkout-api tier 1, high → 30 days too.
        assertThat(jdbc.queryForList("select sla_days from finding order by id", Integer.class)).containsExactly(30, 30, 30);
    }

    @Test
    void aNewerScanThatDropsAFindingFixesItOnlyWhenNoAffectedArtifactStillReportsIt() {
        intake.reportScan(scan(CHECKOUT_API, IMAGE_A, "trivy", "a-1", T0,
                vuln("CVE-2024-1111", "zlib", "1.2.11", Severity.HIGH), vuln("CVE-2024-2222", "curl", "8.0.0", Severity.LOW)));
        intake.reportScan(scan(CHECKOUT_API, IMAGE_B, "trivy", "b-1", T0.plusSeconds(60),
                vuln("CVE-2024-1111", "zlib", "1.2.11", Severity.HIGH)));
        long zlib = id("CVE-2024-1111");

        // Image A's newer scan no longer reports zlib, but image B's newest scan still does.
        ScanIntakeResult a2 = intake.reportScan(scan(CHECKOUT_API, IMAGE_A, "trivy", "a-2", T0.plusSeconds(3_600),
                vuln("CVE-2024-2222", "curl", "8.0.0", Severity.LOW)));
        assertThat(a2.fixed()).isZero();
        assertThat(status(zlib)).isEqualTo("open");
        assertThat(jdbc.queryForList("select artifact_digest || '|' || case when still_reported then 'yes' else 'no' end"
                + " from finding_report where finding_id = ? order by artifact_digest", String.class, zlib))
                .containsExactly(IMAGE_A + "|no", IMAGE_B + "|yes");

        // Another scanner's clean scan of image B is no evidence against Trivy's report.
        ScanIntakeResult grype = intake.reportScan(scan(CHECKOUT_API, IMAGE_B, "grype", "g-1", T0.plusSeconds(5_000)));
        assertThat(grype.fixed()).isZero();
        assertThat(status(zlib)).isEqualTo("open");

        // Image B's newer Trivy scan drops it too: now no affected artifact reports it.
        Instant fixedAt = T0.plusSeconds(7_200);
        ScanIntakeResult b2 = intake.reportScan(scan(CHECKOUT_API, IMAGE_B, "trivy", "b-2", fixedAt));
        assertThat(b2).isEqualTo(new ScanIntakeResult(false, 0, 0, 1, 0, List.of()));
        assertThat(status(zlib)).isEqualTo("fixed");
        assertThat(time(jdbc.queryForObject("select fixed_at from finding where id = ?", Object.class, zlib))).isEqualTo(fixedAt);
        assertThat(status(id("CVE-2024-2222"))).isEqualTo("open");
        assertThat(jdbc.queryForList("select actor || '|' || action || '|' || from_status || '|' || to_status from finding_event"
                + " where finding_id = ? and action = 'fixed'", String.class, zlib))
                .containsExactly("system:scan:trivy|fixed|open|fixed");
        assertThat(jdbc.queryForList("select actor || '|' || action || '|' || entity_id from audit_log where entity_type = 'finding'",
                String.class)).containsExactly("system:scan:trivy|finding.fixed|" + zlib);
    }

    @Test
    void aFixedFindingReportedAgainReopensAndAStaleScanChangesNothing() {
        intake.reportScan(scan(CHECKOUT_API, IMAGE_A, "trivy", "a-1", T0, vuln("CVE-2024-1111", "zlib", "1.2.11", Severity.HIGH)));
        long zlib = id("CVE-2024-1111");
        intake.reportScan(scan(CHECKOUT_API, IMAGE_A, "trivy", "a-2", T0.plusSeconds(3_600)));
        assertThat(status(zlib)).isEqualTo("fixed");

        ScanIntakeResult again = intake.reportScan(scan(CHECKOUT_API, IMAGE_A, "trivy", "a-3", T0.plusSeconds(7_200),
                vuln("CVE-2024-1111", "zlib", "1.2.11", Severity.HIGH)));

        assertThat(again).isEqualTo(new ScanIntakeResult(false, 0, 1, 0, 1, List.of()));
        Map<String, Object> f = jdbc.queryForMap("select status, fixed_at, first_seen_at, due_at from finding where id = ?", zlib);
        assertThat(f.get("status")).isEqualTo("open");
        assertThat(f.get("fixed_at")).isNull();
        // First seen stays: the exposure began then, so the due date does not restart.
        assertThat(time(f.get("first_seen_at"))).isEqualTo(T0);
        assertThat(time(f.get("due_at"))).isEqualTo(T0.plus(java.time.Duration.ofDays(30)));
        assertThat(jdbc.queryForList("select action from finding_event where finding_id = ? order by id", String.class, zlib))
                .containsExactly("created", "fixed", "reopened");
        assertThat(jdbc.queryForList("select action from audit_log where entity_type = 'finding' order by id", String.class))
                .containsExactly("finding.fixed", "finding.reopened");

        // A late scan taken before the newest one of the same artifact and scanner: stale.
        int events = count("finding_event");
        ScanIntakeResult stale = intake.reportScan(scan(CHECKOUT_API, IMAGE_A, "trivy", "a-late", T0.plusSeconds(5_000)));
        assertThat(stale).isEqualTo(new ScanIntakeResult(true, 0, 0, 0, 0, List.of()));
        assertThat(status(zlib)).isEqualTo("open");
        assertThat(count("finding_event")).isEqualTo(events);
        assertThat(jdbc.queryForObject("select scan_id from finding_scan where artifact_digest = ?", String.class, IMAGE_A))
                .isEqualTo("a-3");
    }

    @Test
    void theSameScanTwiceChangesNothing() {
        ScanReport report = scan(CHECKOUT_API, IMAGE_A, "trivy", "a-1", T0, vuln("CVE-2024-1111", "zlib", "1.2.11", Severity.HIGH));
        intake.reportScan(report);
        String before = snapshot();

        ScanIntakeResult second = intake.reportScan(report);

        assertThat(second).isEqualTo(new ScanIntakeResult(false, 0, 0, 0, 1, List.of()));
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aScanWithRefusedResultsRecordsTheGoodOnesButFixesNothing() {
        intake.reportScan(scan(CHECKOUT_API, IMAGE_A, "trivy", "a-1", T0, vuln("CVE-2024-1111", "zlib", "1.2.11", Severity.HIGH)));
        List<ReportedVulnerability> results = new ArrayList<>();
        results.add(vuln("CVE-2024-3333", "libxml2", "2.9.0", Severity.MEDIUM));
        results.add(vuln("CVE-2024-4444", " ", "1.0", Severity.HIGH));
        results.add(new ReportedVulnerability("CVE-2024-5555", "expat", "2.5.0", null, Severity.LOW, 11.0, null, null,
                FindingSource.VULNERABILITY));
        results.add(null);

        ScanIntakeResult partial = intake.reportScan(new ScanReport(CHECKOUT_API, IMAGE_A, "trivy", "a-2", T0.plusSeconds(60), results));

        assertThat(partial.created()).isEqualTo(1);
        assertThat(partial.fixed()).isZero();
        assertThat(partial.rejected()).containsExactly("result 2 (CVE-2024-4444): no package",
                "result 3 (CVE-2024-5555): CVSS score 11.0 is outside 0–10", "result 4: empty result");
        // zlib is not in this scan, but the scan is incomplete: it may have been one of the refused results.
        assertThat(status(id("CVE-2024-1111"))).isEqualTo("open");
        assertThat(status(id("CVE-2024-3333"))).isEqualTo("open");
        assertThat(jdbc.queryForObject("select complete from finding_scan", Boolean.class)).isFalse();
    }

    @Test
    void aReportWithoutItsIdentityIsRefusedWithAMessage() {
        assertThatThrownBy(() -> intake.reportScan(new ScanReport(CHECKOUT_API, IMAGE_A, "trivy", " ", T0, List.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("scanId is required");
        assertThatThrownBy(() -> intake.reportScan(new ScanReport(CHECKOUT_API, IMAGE_A, "trivy", "x", T0, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the scan report has no result list (an empty list means a clean artifact)");
        assertThat(count("finding")).isZero();
    }

    @Test
    void secretsAndIacResultsAreFindingsOfTheirOwnSource() {
        intake.reportScan(scan(CHECKOUT_API, IMAGE_A, "trivy", "a-1", T0,
                new ReportedVulnerability("aws-access-key-id", "/app/config.yml", null, null, Severity.CRITICAL, null, null,
                        "AWS access key", FindingSource.SECRET),
                new ReportedVulnerability("AVD-DS-0002", "Dockerfile", null, null, Severity.HIGH, null, null,
                        "Image user should not be root", FindingSource.IAC)));

        assertThat(jdbc.queryForList("select source || '|' || rule_id || '|' || subject || '|' || installed_version from finding order by id",
                String.class)).containsExactly("secret|aws-access-key-id|/app/config.yml|", "iac|AVD-DS-0002|Dockerfile|");
    }

    @Test
    void aRetiredArtifactNoLongerKeepsItsFindingsOpen() {
        intake.reportScan(scan(CHECKOUT_API, IMAGE_A, "trivy", "a-1", T0, vuln("CVE-2024-1111", "zlib", "1.2.11", Severity.HIGH)));
        intake.reportScan(scan(CHECKOUT_API, IMAGE_A, "grype", "g-1", T0, vuln("CVE-2024-1111", "zlib", "1.2.11", Severity.HIGH)));

        int fixed = intake.retireArtifact(CHECKOUT_API, IMAGE_A, T0.plusSeconds(600));

        assertThat(fixed).isEqualTo(1);
        assertThat(status(id("CVE-2024-1111"))).isEqualTo("fixed");
        assertThat(jdbc.queryForList("select scanner from finding_scan where retired_at is not null order by scanner", String.class))
                .containsExactly("grype", "trivy");
    }

    @Test
    void policyViolationsAreFindingsThatResolveAndReopen() {
        PolicyViolation unsigned = new PolicyViolation(CHECKOUT_API, Policy.UNSIGNED_ARTIFACT, IMAGE_A, Severity.HIGH, null,
                "No signature found for the digest", "artifacts", T0);

        PolicyIntakeResult first = intake.reportPolicy(unsigned);
        PolicyIntakeResult again = intake.reportPolicy(new PolicyViolation(CHECKOUT_API, Policy.UNSIGNED_ARTIFACT, IMAGE_A,
                Severity.HIGH, null, "Still no signature", "artifacts", T0.plusSeconds(3_600)));

        assertThat(first.created()).isTrue();
        assertThat(again).isEqualTo(new PolicyIntakeResult(first.findingId(), false, false));
        Map<String, Object> f = jdbc.queryForMap("select * from finding");
        assertThat(f.get("source")).isEqualTo("policy");
        assertThat(f.get("rule_id")).isEqualTo("unsigned-artifact");
        assertThat(f.get("title")).isEqualTo("Unsigned artifact: " + IMAGE_A);
        assertThat(f.get("detail")).isEqualTo("Still no signature");
        assertThat(time(f.get("last_seen_at"))).isEqualTo(T0.plusSeconds(3_600));

        assertThat(intake.resolvePolicy(CHECKOUT_API, Policy.UNSIGNED_ARTIFACT, IMAGE_A, "artifacts", T0.plusSeconds(7_200))).isTrue();
        assertThat(status(first.findingId())).isEqualTo("fixed");
        assertThat(intake.resolvePolicy(CHECKOUT_API, Policy.UNSIGNED_ARTIFACT, IMAGE_A, "artifacts", T0.plusSeconds(7_300))).isFalse();

        PolicyIntakeResult reappeared = intake.reportPolicy(unsigned);
        assertThat(reappeared.reopened()).isTrue();
        assertThat(status(first.findingId())).isEqualTo("open");
        assertThat(count("finding")).isEqualTo(1);
    }

    @Test
    void aNewTierInTheCatalogChangesTheSlaOfTheServicesFindings() {
        intake.reportScan(scan(CHECKOUT_API, IMAGE_A, "trivy", "a-1", T0, vuln("CVE-2024-1111", "zlib", "1.2.11", Severity.HIGH)));
        // As if the findings had been recorded under tier 3 (e.g. before the catalog said tier 1).
        jdbc.update("update finding set service_tier = 3, sla_days = 99");

        intake.reportScan(scan(CHECKOUT_API, IMAGE_B, "trivy", "b-1", T0, vuln("CVE-2024-2222", "curl", "8.0.0", Severity.LOW)));

        assertThat(jdbc.queryForList("select rule_id || '|' || service_tier || '|' || sla_days from finding order by id", String.class))
                .containsExactly("CVE-2024-1111|1|30", "CVE-2024-2222|1|180");
    }

    private long id(String ruleId) {
        return jdbc.queryForObject("select id from finding where rule_id = ?", Long.class, ruleId);
    }

    private String status(long id) {
        return jdbc.queryForObject("select status from finding where id = ?", String.class, id);
    }

    private int count(String table) {
        return jdbc.queryForObject("select count(*) from " + table, Integer.class);
    }

    private String snapshot() {
        return String.join("\n", jdbc.queryForList("select * from finding order by id").toString(),
                jdbc.queryForList("select * from finding_report order by id").toString(),
                jdbc.queryForList("select id, finding_id, action from finding_event order by id").toString(),
                jdbc.queryForList("select id, action from audit_log order by id").toString());
    }

    static Instant time(Object value) {
        if (value instanceof OffsetDateTime) {
            return ((OffsetDateTime) value).toInstant();
        }
        if (value instanceof java.sql.Timestamp) {
            return ((java.sql.Timestamp) value).toInstant();
        }
        throw new AssertionError("not a timestamp: " + value + " (" + (value == null ? "null" : value.getClass()) + ")");
    }
}

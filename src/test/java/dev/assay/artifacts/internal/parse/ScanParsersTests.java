package dev.assay.artifacts.internal.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.assay.artifacts.Fixtures;
import dev.assay.common.UntrustedJson;

/** The scan report parsers against the published Trivy, Grype, SARIF and OSV samples. */
class ScanParsersTests {

    private final UntrustedJson json = new UntrustedJson();

    private ParsedScan parse(String fixture) {
        var node = json.readTree(Fixtures.text(fixture));
        EvidenceFormat format = FormatDetector.detect(node).orElseThrow();
        return switch (format) {
            case TRIVY -> new TrivyReportParser().parse(node);
            case GRYPE -> new GrypeReportParser().parse(node);
            case SARIF -> new SarifParser().parse(node);
            case OSV -> new OsvParser().parse(node);
            default -> throw new AssertionError("detected " + format + " for " + fixture);
        };
    }

    @Test
    void trivyDebianBusterHasOneCriticalFixedAndOneLowUnfixedVulnerability() {
        ParsedScan scan = parse("scanners/trivy-image-debian-buster.json");

        assertThat(scan.scanner()).isEqualTo("trivy");
        assertThat(scan.scannerVersion()).isEqualTo("dev");
        assertThat(scan.scannedAt()).isEqualTo(Instant.parse("2021-08-25T12:20:30.000000005Z"));
        assertThat(scan.items()).extracting(ScanItem::resultId, ScanItem::packageName, ScanItem::installedVersion,
                ScanItem::fixedVersion, ScanItem::severity, ScanItem::cvssScore, ScanItem::packageType)
                .containsExactly(
                        tuple("CVE-2019-18276", "bash", "5.0-4", null, Severity.LOW, 7.8, "debian"),
                        tuple("CVE-2019-18224", "libidn2-0", "2.0.5-1", "2.0.5-1+deb10u1", Severity.CRITICAL, 9.8, "debian"));
        assertThat(scan.items().get(0).purl()).isEqualTo("pkg:deb/debian/bash@5.0-4?arch=amd64&distro=debian-10.1");
        assertThat(scan.items().get(0).cvssVector()).isEqualTo("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H");
        assertThat(scan.counts()).containsEntry(Severity.CRITICAL, 1).containsEntry(Severity.LOW, 1)
                .containsEntry(Severity.HIGH, 0).containsEntry(Severity.MEDIUM, 0);
    }

    @Test
    void trivySpring4ShellKeepsTheJarVulnerabilityAndSkipsCustomResources() {
        ParsedScan scan = parse("scanners/trivy-image-spring4shell-jre11-os-and-jar.json");

        assertThat(scan.items()).singleElement().satisfies(item -> {
            assertThat(item.resultId()).isEqualTo("CVE-2022-22965");
            assertThat(item.packageName()).isEqualTo("org.springframework:spring-beans");
            assertThat(item.installedVersion()).isEqualTo("5.3.15");
            assertThat(item.fixedVersion()).isEqualTo("5.3.18");
            assertThat(item.severity()).isEqualTo(Severity.CRITICAL);
            // the severity came from GHSA, so its CVSS is the one kept
            assertThat(item.cvssScore()).isEqualTo(9.8);
            assertThat(item.location()).isEqualTo("usr/local/tomcat/webapps/helloworld.war/WEB-INF/lib/spring-beans-5.3.15.jar");
        });
    }

    @Test
    void grypeMatchesKeepFixSuggestionAndCvss() {
        ParsedScan scan = parse("scanners/grype-image-report.json");

        assertThat(scan.scanner()).isEqualTo("grype");
        assertThat(scan.scannerVersion()).isEqualTo("[not provided]");
        assertThat(scan.scannedAt()).isNull();
        assertThat(scan.items()).extracting(ScanItem::resultId, ScanItem::packageName, ScanItem::packageType,
                ScanItem::installedVersion, ScanItem::fixedVersion, ScanItem::severity, ScanItem::cvssScore, ScanItem::purl)
                .containsExactly(
                        tuple("CVE-1999-0001", "package-1", "rpm", "1.1.1", "1.2.1", Severity.LOW, 8.2, null),
                        tuple("CVE-1999-0002", "package-2", "deb", "2.2.2", null, Severity.CRITICAL, 8.5, "pkg:deb/package-2@2.2.2"));
    }

    @Test
    void trivySarifTakesSeverityFromSecuritySeverityAndPackageFactsFromTheMessage() {
        ParsedScan scan = parse("scanners/trivy-image-alpine-310.sarif");

        assertThat(scan.scanner()).isEqualTo("Trivy");
        assertThat(scan.items()).hasSize(4).allSatisfy(item -> {
            assertThat(item.severity()).isEqualTo(Severity.MEDIUM);
            assertThat(item.kind()).isEqualTo("vulnerability");
            assertThat(item.cvssScore()).isEqualTo(5.3);
            assertThat(item.installedVersion()).isEqualTo("1.1.1c-r0");
            assertThat(item.location()).isEqualTo("testdata/fixtures/images/alpine-310.tar.gz:1");
        });
        assertThat(scan.items()).extracting(ScanItem::resultId, ScanItem::packageName, ScanItem::fixedVersion).containsExactly(
                tuple("CVE-2019-1549", "libcrypto1.1", "1.1.1d-r0"), tuple("CVE-2019-1551", "libcrypto1.1", "1.1.1d-r2"),
                tuple("CVE-2019-1549", "libssl1.1", "1.1.1d-r0"), tuple("CVE-2019-1551", "libssl1.1", "1.1.1d-r2"));
    }

    @Test
    void codeqlResultsWithoutLevelTakeTheRuleDefault() {
        ParsedScan scan = parse("scanners/codeql-lgtm-two-runs.sarif");

        assertThat(scan.scanner()).isEqualTo("LGTM.com, CodeQL command-line toolchain");
        assertThat(scan.scannerVersion()).isEqualTo("1.24.0-SNAPSHOT");
        assertThat(scan.items()).extracting(ScanItem::resultId, ScanItem::severity, ScanItem::kind, ScanItem::location)
                .containsExactly(
                        tuple("js/unused-local-variable", Severity.LOW, "code", "main.js:2"),
                        tuple("js/unused-local-variable", Severity.LOW, "code", "main.js:2"),
                        tuple("js/inconsistent-use-of-new", Severity.LOW, "code", "src/promiseUtils.js:2"));
    }

    @Test
    void sarifSuppressionsHideOnlyAcceptedOnes() {
        ParsedScan scan = parse("scanners/sarif-tutorials-suppressions.sarif");

        // none, inSource, external, rejected, accepted, underReview, accepted+rejected, (none)+rejected, underReview+rejected
        assertThat(scan.items()).extracting(ScanItem::suppressed, ScanItem::suppressionStatus).containsExactly(
                tuple(false, null), tuple(true, "accepted"), tuple(true, "accepted"), tuple(false, "rejected"),
                tuple(true, "accepted"), tuple(false, "underReview"), tuple(true, "accepted"), tuple(true, "accepted"),
                tuple(false, "underReview"));
        assertThat(scan.suppressedCount()).isEqualTo(5);
        // no level and no rules: the SARIF default level "warning"
        assertThat(scan.counts()).containsEntry(Severity.MEDIUM, 4);
    }

    @Test
    void osvGoRecordGivesOneResultPerAffectedPackageWithEveryFixedVersion() {
        ParsedScan scan = parse("scanners/osv-GO-2023-2102-http2-rapid-reset.json");

        assertThat(scan.scannedAt()).isNull(); // 0001-01-01 in the repository copy means "unknown"
        assertThat(scan.scannerVersion()).isEqualTo("1.3.1");
        assertThat(scan.items()).extracting(ScanItem::resultId, ScanItem::packageName, ScanItem::fixedVersion,
                ScanItem::severity, ScanItem::cvssScore)
                .containsExactly(
                        tuple("GO-2023-2102", "stdlib", "1.20.10, 1.21.3", Severity.UNKNOWN, null),
                        tuple("GO-2023-2102", "golang.org/x/net", "0.17.0", Severity.UNKNOWN, null));
    }

    @Test
    void osvGhsaRecordComputesCvssFromTheVectorAndMapsModerateToMedium() {
        ParsedScan scan = parse("scanners/osv-GHSA-3cqf-953p-h5cp-argo-cd.json");

        assertThat(scan.scannedAt()).isEqualTo(Instant.parse("2024-06-06T19:04:54Z"));
        assertThat(scan.items()).hasSize(3).allSatisfy(item -> {
            assertThat(item.packageName()).isEqualTo("github.com/argoproj/argo-cd");
            assertThat(item.severity()).isEqualTo(Severity.MEDIUM);
            assertThat(item.cvssScore()).isEqualTo(4.3);
            assertThat(item.cvssVector()).isEqualTo("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N");
        });
        assertThat(scan.items()).extracting(ScanItem::fixedVersion).containsExactly("2.9.17", "2.10.12", "2.11.3");
    }

    @Test
    void malformedSarifIsRefusedWithAReason() {
        var node = json.readTree("{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{},\"results\":[]}]}");
        assertThatThrownBy(() -> new SarifParser().parse(node)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SARIF run 1 has no tool.driver.name");
        var wrongVersion = json.readTree("{\"version\":\"2.0.0\",\"runs\":[]}");
        assertThatThrownBy(() -> new SarifParser().parse(wrongVersion)).hasMessage("not a SARIF 2.1.0 log: version is '2.0.0'");
    }

    @Test
    void cvssBaseScoresFollowTheSpecification() {
        assertThat(Cvss3.baseScore("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")).contains(9.8);
        assertThat(Cvss3.baseScore("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H")).contains(7.8);
        assertThat(Cvss3.baseScore("CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:H")).contains(8.2);
        assertThat(Cvss3.baseScore("CVSS:3.1/AV:N/AC:H/PR:L/UI:N/S:C/C:H/I:H/A:H")).contains(8.5);
        assertThat(Cvss3.baseScore("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N")).contains(0.0);
        assertThat(Cvss3.baseScore("CVSS:4.0/AV:N")).isEmpty();
        assertThat(Cvss3.baseScore("CVSS:3.1/AV:N/AC:L")).isEmpty();
        assertThat(Map.of("s", Severity.fromScore(9.0))).containsEntry("s", Severity.CRITICAL);
    }
}

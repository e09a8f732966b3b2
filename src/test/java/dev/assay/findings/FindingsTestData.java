package dev.assay.findings;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;


import dev.assay.DatabaseCleaner;
import dev.assay.catalog.Catalog;
import dev.assay.collect.CollectionLauncher;
import dev.assay.collect.CollectionRuns;
import dev.assay.collect.JobExecutions;
import dev.assay.collect.JobStatus;

/**
 * Test data for the findings tests: a clean database with the findings test catalog imported by
 * the real files job, and builders for scan reports.
 * <p>
 * Catalog (src/test/resources/findings/catalog.yaml): team {@code checkout} (olivia, rita) owns
 * {@code checkout-api} (tier 1) and {@code checkout-web} (tier 2); team {@code ledger} (lars, roger)
 * owns {@code ledger-service} (tier 2); {@code orphan-service} has no owning team.
 */
final class FindingsTestData {

    static final String CHECKOUT_API = "checkout-api";
    static final String CHECKOUT_WEB = "checkout-web";
    static final String LEDGER = "ledger-service";
    static final String ORPHAN = "orphan-service";
    static final String IMAGE_A = "registry.example.com/acme/checkout-api@sha256:aaaa";
    static final String IMAGE_B = "registry.example.com/acme/checkout-api@sha256:bbbb";

    /** The catalog's tables survive between tests (re-importing for each would be slow); everything else is emptied. */
    static final String[] CATALOG_TABLES = {"team", "team_member", "catalog_person", "catalog_system", "service",
            "service_link", "codeowners_rule", "repository_default_owner"};

    private FindingsTestData() {
    }

    /** Empties every table but the catalog's, and imports the findings test catalog when it is not there. */
    static void freshDatabaseWithCatalog(DataSource dataSource, Catalog catalog, CollectionLauncher launcher,
            JobExecutions executions) {
        DatabaseCleaner cleaner = new DatabaseCleaner(dataSource);
        cleaner.cleanAllExcept(CATALOG_TABLES);
        if (catalog.service(CHECKOUT_API).map(d -> "checkout".equals(d.service().owningTeam())).orElse(false)
                && catalog.service(LEDGER).isPresent()) {
            return;
        }
        cleaner.cleanAll();
        JobStatus run = CollectionRuns.collectAndWait(launcher, executions, "findings-catalog");
        assertThat(run.status()).isEqualTo("COMPLETED");
        assertThat(run.quarantined()).isZero();
        assertThat(catalog.service(CHECKOUT_API).orElseThrow().service().owningTeam()).isEqualTo("checkout");
    }

    static ReportedVulnerability vuln(String id, String pkg, String version, Severity severity) {
        return new ReportedVulnerability(id, pkg, version, null, severity, null, null, id + " in " + pkg,
                FindingSource.VULNERABILITY);
    }

    static ReportedVulnerability vuln(String id, String pkg, String version, String fixed, Severity severity, Double cvss,
            String vector) {
        return new ReportedVulnerability(id, pkg, version, fixed, severity, cvss, vector, id + " in " + pkg,
                FindingSource.VULNERABILITY);
    }

    static ScanReport scan(String service, String artifact, String scanner, String scanId, Instant at,
            ReportedVulnerability... results) {
        return new ScanReport(service, artifact, scanner, scanId, at, new ArrayList<>(List.of(results)));
    }

    /** A signed-in person with one role, as Spring Security would present them. */
    static org.springframework.security.core.Authentication user(String name, String role) {
        return new org.springframework.security.authentication.UsernamePasswordAuthenticationToken(name, "n/a",
                org.springframework.security.core.authority.AuthorityUtils.createAuthorityList("ROLE_" + role));
    }

    /**
     * One finding on its own artifact: reported by a Trivy scan at {@code firstSeen} and, when
     * {@code fixedAt} is given, dropped by the next scan of that artifact then (which fixes it).
     */
    static void seed(FindingsIntake intake, String service, String id, Severity severity, Instant firstSeen, Instant fixedAt) {
        String artifact = "registry.example.com/acme/" + service + "@sha256:" + id.toLowerCase(java.util.Locale.ROOT);
        intake.reportScan(scan(service, artifact, "trivy", id + "-1", firstSeen, vuln(id, "pkg-" + id, "1.0", severity)));
        if (fixedAt != null) {
            ScanIntakeResult fix = intake.reportScan(scan(service, artifact, "trivy", id + "-2", fixedAt));
            assertThat(fix.fixed()).isEqualTo(1);
        }
    }
}

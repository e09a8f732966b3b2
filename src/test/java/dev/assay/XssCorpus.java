package dev.assay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

import org.springframework.jdbc.core.JdbcTemplate;

import dev.assay.collect.CollectionLauncher;
import dev.assay.collect.CollectionRuns;
import dev.assay.collect.JobExecutions;
import dev.assay.findings.FindingSource;
import dev.assay.findings.FindingsIntake;
import dev.assay.findings.ReportedVulnerability;
import dev.assay.findings.ScanReport;
import dev.assay.findings.Severity;
import dev.assay.playbooks.RunbookSummary;
import dev.assay.playbooks.Runbooks;

/**
 * The untrusted-input corpus (DESIGN §6–§7), shared by {@link XssCorpusTests} (server-rendered HTML)
 * and {@code XssCorpusBrowserTest} (a real browser): script tags, event handlers, {@code javascript:}
 * URLs, SVG payloads and template expressions, and the documents that carry them in through every
 * kind of collected text — the catalog (team, person and service titles, descriptions, annotations),
 * CI runs (workflow names, branches, repositories, actors), SBOMs (component names, versions,
 * licenses, purls, tool), incidents (titles, severities, timeline notes), findings (ids, packages,
 * titles) and runbook markdown.
 * <p>
 * Every payload calls {@code alert('xss-N')}: were it ever rendered as markup it would run (the
 * browser test lets the page's CSP be bypassed to prove that), and the alert names which one ran.
 */
public final class XssCorpus {

    public static final List<String> PAYLOADS = List.of("<script>alert('xss-1')</script>", "<img src=x onerror=alert('xss-2')>",
            "<a href=\"javascript:alert('xss-3')\">click</a>", "<svg onload=alert('xss-4')>", "\"><script>alert('xss-5')</script>");
    /** What must never be in a page: a live tag or handler carrying a payload. */
    public static final Pattern LIVE = Pattern.compile("<script>alert|<img src=x|<svg onload|href=\"javascript:|href='javascript:"
            + "|src=\"javascript:|<[a-z]+(\\s+[a-z-]+(=\"[^\"]*\")?)*\\s+on(error|load)=", Pattern.CASE_INSENSITIVE);

    /** The catalog source (src/test/resources/sources/xss-sources.yml → src/test/resources/xss/catalog.yaml). */
    public static final String CATALOG_SOURCE = "xss-catalog";
    public static final String SERVICE = "xss-service";
    public static final String TEAM = "xss-team";
    /** The service's image repository (its {@code assay.dev/image-repositories} annotation). */
    public static final String IMAGE_REPOSITORY = "registry.example.com/acme/xss";
    public static final String DIGEST = "sha256:" + "e".repeat(64);
    /** Who reads the pages: a member of the team in the catalog (so the owner's queue shows the finding), an ADMIN and SECURITY user in Assay. */
    public static final String READER = "mallory";

    public static final String RUNBOOK = """
            ---
            runbook: xss-runbook
            title: "<script>alert('xss-1')</script>"
            services: [xss-service]
            teams: [xss-team]
            roles:
              - name: "<img src=x onerror=alert('xss-2')>"
                filled_by: "<svg onload=alert('xss-4')>"
            ---
            # Runbook <script>alert('xss-1')</script>

            <img src=x onerror=alert('xss-2')>

            [click me](javascript:alert('xss-3')) and <a href="javascript:alert('xss-3')">raw link</a>

            <svg onload=alert('xss-4')><circle r="1"/></svg>

            Expression: [[${7*7}]] and __${7*7}__ and ${T(java.lang.Runtime).getRuntime().exec('id')}

            ## Checklist

            - [ ] <script>alert('xss-1')</script> step (5 min)
            - [ ] [[${7*7}]] step
            """;

    public static final String INCIDENT = """
            {"schema": "assay.incident/v1", "id": "XSS-1", "title": "<script>alert('xss-1')</script> [[${7*7}]]",
             "severity": "<img src=x onerror=alert('xss-2')>", "services": ["xss-service"],
             "detected_at": "2026-11-01T10:00:00Z",
             "events": [{"at": "2026-11-01T10:05:00Z", "kind": "note", "actor": "<svg onload=alert('xss-4')>",
                         "summary": "<a href=\\"javascript:alert('xss-3')\\">click</a>"}]}
            """;

    /**
     * A GitHub Actions run of the service's repository ({@code github.com/project-slug} in the
     * catalog): its run name, branch, actor and link are payloads.
     */
    public static final String MAPPED_RUN = """
            {"id": 990001, "name": "<script>alert('xss-1')</script>", "run_number": 7, "run_attempt": 1,
             "head_branch": "<img src=x onerror=alert('xss-2')>", "head_sha": "acb5820ced9479c074f688cc328bf03f341a511d",
             "event": "\\"><script>alert('xss-5')</script>", "status": "completed", "conclusion": "success",
             "created_at": "2026-11-01T09:00:00Z", "run_started_at": "2026-11-01T09:00:00Z", "updated_at": "2026-11-01T09:05:00Z",
             "html_url": "javascript:alert('xss-3')", "triggering_actor": {"login": "<svg onload=alert('xss-4')>"},
             "repository": {"full_name": "acme/<svg onload=alert('xss-4')>"}}
            """;

    /** A run of a repository no service names (shown on the unmapped runs page). */
    public static final String UNMAPPED_RUN = """
            {"id": 990002, "name": "\\"><script>alert('xss-5')</script>", "run_number": 8, "run_attempt": 1,
             "head_branch": "<a href=\\"javascript:alert('xss-3')\\">click</a>", "head_sha": "acb5820ced9479c074f688cc328bf03f341a511d",
             "event": "push", "status": "completed", "conclusion": "failure",
             "created_at": "2026-11-01T09:10:00Z", "run_started_at": "2026-11-01T09:10:00Z", "updated_at": "2026-11-01T09:12:00Z",
             "html_url": "https://github.com/acme/elsewhere/actions/runs/990002", "triggering_actor": {"login": "mallory"},
             "repository": {"full_name": "<img src=x onerror=alert('xss-2')>/<script>alert('xss-1')</script>"}}
            """;

    /** A CycloneDX SBOM of the service's image: component names, versions, licenses, purls and tool are payloads. */
    public static final String SBOM = """
            {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
             "metadata": {"tools": [{"vendor": "acme", "name": "<svg onload=alert('xss-4')>", "version": "1"}]},
             "components": [
               {"type": "library", "bom-ref": "c1", "name": "<script>alert('xss-1')</script>", "version": "<img src=x onerror=alert('xss-2')>",
                "licenses": [{"license": {"name": "<a href=\\"javascript:alert('xss-3')\\">click</a>"}}],
                "purl": "pkg:npm/%3Cscript%3Ealert('xss-1')%3C%2Fscript%3E@1.0.0"},
               {"type": "library", "bom-ref": "c2", "name": "<svg onload=alert('xss-4')>", "version": "\\"><script>alert('xss-5')</script>",
                "licenses": [{"license": {"id": "AGPL-3.0-only"}}], "purl": "pkg:npm/xss-svg@1.0.0"},
               {"type": "library", "bom-ref": "c3", "name": "<a href=\\"javascript:alert('xss-3')\\">click</a>", "version": "[[${7*7}]]",
                "licenses": [{"expression": "MIT"}], "purl": "<img src=x onerror=alert('xss-2')>"}
             ]}
            """;

    /** Pushes a JSON document to an ingest endpoint of the running Assay and checks it was accepted (202). */
    @FunctionalInterface
    public interface Ingest {
        void accepted(String pathAndQuery, String json) throws Exception;
    }

    private XssCorpus() {
    }

    /**
     * Puts the corpus in: the catalog collected, the incident, both CI runs and the SBOM pushed through
     * {@code ingest}, a scanner's findings reported, the runbook created. The database must be empty.
     */
    public static void inject(Ingest ingest, JdbcTemplate jdbc, CollectionLauncher launcher, JobExecutions executions,
            FindingsIntake findings, Runbooks runbooks) throws Exception {
        assertThat(CollectionRuns.collectAndWait(launcher, executions, CATALOG_SOURCE).status()).isEqualTo("COMPLETED");
        assertThat(jdbc.queryForObject("select count(*) from service where name = 'xss-service'", Integer.class)).isEqualTo(1);

        ingest.accepted("/api/v1/ingest/incident", INCIDENT);
        ingest.accepted("/api/v1/ingest/pipeline-run?format=github-actions", MAPPED_RUN);
        ingest.accepted("/api/v1/ingest/pipeline-run?format=github-actions", UNMAPPED_RUN);
        ingest.accepted("/api/v1/ingest/sbom?format=cyclonedx-json&artifact=" + IMAGE_REPOSITORY + "@" + DIGEST, SBOM);
        assertThat(jdbc.queryForObject("select count(*) from pipeline_run", Integer.class)).isEqualTo(2);
        assertThat(jdbc.queryForObject("select count(*) from sbom_component", Integer.class)).isEqualTo(3);

        findings.reportScan(new ScanReport(SERVICE, IMAGE_REPOSITORY + "@" + DIGEST, "trivy", "xss-1",
                Instant.parse("2026-11-01T10:00:00Z"), List.of(new ReportedVulnerability("CVE-<script>alert('xss-1')</script>",
                        "<img src=x onerror=alert('xss-2')>", "1.0", "<svg onload=alert('xss-4')>", Severity.CRITICAL, 9.8,
                        "\"><script>alert('xss-5')</script>", "<a href=\"javascript:alert('xss-3')\">click</a> [[${7*7}]]",
                        FindingSource.VULNERABILITY), new ReportedVulnerability("<a href=\"javascript:alert('xss-3')\">click</a>",
                        "xss-package", "2.0", null, Severity.HIGH, 7.5, "2.1", "<img src=x onerror=alert('xss-2')>",
                        FindingSource.VULNERABILITY))));
        assertThat(jdbc.queryForObject("select count(*) from finding", Integer.class)).isEqualTo(2);

        RunbookSummary runbook = runbooks.create(RUNBOOK, "<script>alert('xss-1')</script>", "admin");
        assertThat(runbook.slug()).isEqualTo("xss-runbook");
    }

    /**
     * Every page that shows the corpus, for {@link #READER}; the executive report and the users page
     * show none of it but are checked too.
     */
    public static List<String> pages(JdbcTemplate jdbc) {
        long incident = jdbc.queryForObject("select id from incident where external_id = 'XSS-1'", Long.class);
        long finding = jdbc.queryForObject("select min(id) from finding", Long.class);
        long runbook = jdbc.queryForObject("select id from runbook", Long.class);
        return List.of("/", "/teams", "/teams/xss-team", "/teams/xss-team/incidents", "/services/xss-service",
                "/services/xss-service/incidents", "/services/xss-service/builds", "/services/xss-service/artifacts",
                "/artifacts/" + DIGEST, "/artifacts/" + DIGEST + "?q=xss-1", "/incidents", "/incidents/" + incident,
                "/findings", "/findings/" + finding, "/my-services/queue", "/runbooks", "/runbooks/" + runbook,
                "/runbooks/" + runbook + "/history", "/runbooks/" + runbook + "/versions/1", "/runbooks/" + runbook + "/edit",
                "/reports/executive", "/admin/pipeline-runs/unmapped", "/admin/audit", "/admin/users");
    }
}

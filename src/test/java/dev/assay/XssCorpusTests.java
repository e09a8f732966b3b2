package dev.assay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

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
 * Untrusted input, end to end (DESIGN §6–§7): an XSS corpus — script tags, event handlers,
 * {@code javascript:} URLs, SVG payloads and template-expression payloads — goes in through every
 * kind of collected text (catalog titles, descriptions, annotations, person names; incident titles
 * and timeline notes; finding ids, packages and titles; runbook markdown), and every page that
 * shows it renders it inert: escaped, stripped, or as literal text, never evaluated.
 */
@AssayIntegrationTest
@TestPropertySource(properties = "assay.sources-file=src/test/resources/sources/xss-sources.yml")
class XssCorpusTests {

    static final List<String> PAYLOADS = List.of("<script>alert('xss-1')</script>", "<img src=x onerror=alert('xss-2')>",
            "<a href=\"javascript:alert('xss-3')\">click</a>", "<svg onload=alert('xss-4')>", "\"><script>alert('xss-5')</script>");
    /** What must never be in a page: a live tag or handler carrying a payload. */
    static final Pattern LIVE = Pattern.compile("<script>alert|<img src=x|<svg onload|href=\"javascript:|href='javascript:"
            + "|src=\"javascript:|<[a-z]+(\\s+[a-z-]+(=\"[^\"]*\")?)*\\s+on(error|load)=", Pattern.CASE_INSENSITIVE);

    static final String RUNBOOK = """
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

    @Autowired MockMvc mvc;
    @Autowired DataSource dataSource;
    @Autowired CollectionLauncher launcher;
    @Autowired JobExecutions executions;
    @Autowired FindingsIntake findings;
    @Autowired Runbooks runbooks;

    JdbcTemplate jdbc;

    @BeforeEach
    void injectTheCorpusEverywhere() throws Exception {
        new DatabaseCleaner(dataSource).cleanAll();
        jdbc = new JdbcTemplate(dataSource);
        assertThat(CollectionRuns.collectAndWait(launcher, executions, "xss-catalog").status()).isEqualTo("COMPLETED");
        assertThat(jdbc.queryForObject("select count(*) from service where name = 'xss-service'", Integer.class)).isEqualTo(1);

        mvc.perform(post("/api/v1/ingest/incident").with(user("ci").roles("ADMIN")).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content("""
                        {"schema": "assay.incident/v1", "id": "XSS-1", "title": "<script>alert('xss-1')</script> [[${7*7}]]",
                         "severity": "<img src=x onerror=alert('xss-2')>", "services": ["xss-service"],
                         "detected_at": "2026-11-01T10:00:00Z",
                         "events": [{"at": "2026-11-01T10:05:00Z", "kind": "note", "actor": "<svg onload=alert('xss-4')>",
                                     "summary": "<a href=\\"javascript:alert('xss-3')\\">click</a>"}]}
                        """)).andExpect(status().isAccepted());

        List<ReportedVulnerability> results = new ArrayList<>();
        results.add(new ReportedVulnerability("CVE-<script>alert('xss-1')</script>", "<img src=x onerror=alert('xss-2')>", "1.0",
                "<svg onload=alert('xss-4')>", Severity.CRITICAL, 9.8, "\"><script>alert('xss-5')</script>",
                "<a href=\"javascript:alert('xss-3')\">click</a> [[${7*7}]]", FindingSource.VULNERABILITY));
        findings.reportScan(new ScanReport("xss-service", "registry.example.com/acme/xss@sha256:" + "e".repeat(64), "trivy", "xss-1",
                Instant.parse("2026-11-01T10:00:00Z"), results));

        RunbookSummary runbook = runbooks.create(RUNBOOK, "<script>alert('xss-1')</script>", "admin");
        assertThat(runbook.slug()).isEqualTo("xss-runbook");
    }

    @Test
    void everyPageThatShowsCollectedTextRendersItInert() throws Exception {
        long incident = jdbc.queryForObject("select id from incident where external_id = 'XSS-1'", Long.class);
        long finding = jdbc.queryForObject("select id from finding", Long.class);
        long runbook = jdbc.queryForObject("select id from runbook", Long.class);
        List<String> pages = List.of("/", "/teams", "/teams/xss-team", "/teams/xss-team/incidents", "/services/xss-service",
                "/services/xss-service/incidents", "/services/xss-service/artifacts", "/incidents", "/incidents/" + incident,
                "/findings", "/findings/" + finding, "/my-services/queue", "/runbooks", "/runbooks/" + runbook,
                "/runbooks/" + runbook + "/history", "/runbooks/" + runbook + "/edit", "/admin/audit", "/admin/users");
        List<String> failures = new ArrayList<>();
        int showingPayloads = 0;
        for (String page : pages) {
            String body = mvc.perform(get(page).with(user("xss-admin").roles("ADMIN", "SECURITY"))).andExpect(status().isOk())
                    .andReturn().getResponse().getContentAsString();
            var live = LIVE.matcher(body);
            if (live.find()) {
                int at = live.start();
                failures.add(page + ": live payload at …" + body.substring(Math.max(0, at - 60), Math.min(body.length(), at + 80)) + "…");
            }
            for (String payload : PAYLOADS) {
                if (body.contains(payload)) {
                    failures.add(page + ": raw payload " + payload);
                }
            }
            if (body.contains("alert(&#39;xss-") || body.contains("alert('xss-")) {
                showingPayloads++;
            }
            if (body.contains("uid=")) {
                failures.add(page + ": an expression was evaluated");
            }
        }
        assertThat(failures).isEmpty();
        // the payloads were really there to be rendered (as text) on most pages
        assertThat(showingPayloads).isGreaterThanOrEqualTo(12);
    }

    @Test
    void templateExpressionsInCollectedTextAreShownLiterallyNeverEvaluated() throws Exception {
        long incident = jdbc.queryForObject("select id from incident where external_id = 'XSS-1'", Long.class);
        String body = mvc.perform(get("/incidents/" + incident).with(user("xss-admin").roles("ADMIN")))
                .andReturn().getResponse().getContentAsString();
        assertThat(body).contains("[[${7*7}]]").doesNotContain(">49<");
        String service = mvc.perform(get("/services/xss-service").with(user("xss-admin").roles("ADMIN")))
                .andReturn().getResponse().getContentAsString();
        assertThat(service).contains("[[${7*7}]] __${7*7}__");
        String runbook = mvc.perform(get("/runbooks/xss-runbook").with(user("xss-admin").roles("ADMIN")))
                .andReturn().getResponse().getContentAsString();
        assertThat(runbook).contains("[[${7*7}]]").contains("T(java.lang.Runtime)").doesNotContain("javascript:");
    }
}

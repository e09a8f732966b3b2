package dev.assay.findings;

import static dev.assay.findings.FindingsTestData.CHECKOUT_API;
import static dev.assay.findings.FindingsTestData.CHECKOUT_WEB;
import static dev.assay.findings.FindingsTestData.LEDGER;
import static dev.assay.findings.FindingsTestData.seed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import dev.assay.catalog.Catalog;
import dev.assay.collect.CollectionLauncher;
import dev.assay.collect.JobExecutions;

/**
 * The queue and list pages, the CSV export and the API on a known set of findings.
 * <p>
 * Now is 2026-03-01T12:00Z. Findings (first seen → due; SLA critical 7, high 30, medium 90, low 180 d):
 * <pre>
 * Q1 checkout-api critical 02-20 12:00 → 02-27 12:00  overdue by 2 days
 * Q2 checkout-api high     02-01 00:00 → 03-03 00:00  1 day left
 * Q3 checkout-web medium   02-25 12:00 → 05-26 12:00  86 days left
 * Q4 checkout-api low      2025-09-01 → 2026-02-28    overdue by 1 day (36 h past due: whole days, rounded down)
 * Q5 ledger-service high   02-10 12:00 → 03-12 12:00  11 days left
 * Q6 checkout-api high     01-01 00:00 → 01-31 00:00  fixed 01-20: not actionable
 * </pre>
 * Due order of olivia's actionable findings: Q1 (02-27 12:00), Q4 (02-28 00:00), Q2 (03-03), Q3 (05-26).
 */
@FindingsIntegrationTest
class FindingPagesTests {

    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @Autowired MockMvc mvc;
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
        clock.set(NOW);
        seed(intake, CHECKOUT_API, "Q1", Severity.CRITICAL, Instant.parse("2026-02-20T12:00:00Z"), null);
        seed(intake, CHECKOUT_API, "Q2", Severity.HIGH, Instant.parse("2026-02-01T00:00:00Z"), null);
        seed(intake, CHECKOUT_WEB, "Q3", Severity.MEDIUM, Instant.parse("2026-02-25T12:00:00Z"), null);
        seed(intake, CHECKOUT_API, "Q4", Severity.LOW, Instant.parse("2025-09-01T00:00:00Z"), null);
        seed(intake, LEDGER, "Q5", Severity.HIGH, Instant.parse("2026-02-10T12:00:00Z"), null);
        seed(intake, CHECKOUT_API, "Q6", Severity.HIGH, Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-20T00:00:00Z"));
    }

    @Test
    void theQueueShowsTheTeamsActionableFindingsOverdueFirstWithCountdowns() throws Exception {
        String page = mvc.perform(get("/my-services/queue").with(as("olivia", "SERVICE_OWNER")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();

        assertThat(ruleIds(page)).containsExactly("Q1", "Q4", "Q2", "Q3");
        assertThat(page).contains("overdue by 2 days", "overdue by 1 day", "1 day left", "86 days left")
                .contains("4 findings match").contains("href=\"/teams/checkout\"")
                .doesNotContain(">Q5<").doesNotContain(">Q6<");
        // The summary (open / overdue): critical 1 / 1 (Q1), high 1 / 0 (Q2), medium 1 / 0 (Q3), low 1 / 1 (Q4).
        int start = page.indexOf("id=\"summary-heading\"");
        String summary = page.substring(start, page.indexOf("</section>", start));
        assertThat(summary.replaceAll("<[^>]+>", " ").replaceAll("\\s+", " ").trim())
                .endsWith("Severity Open Overdue critical 1 1 high 1 0 medium 1 0 low 1 1 unknown 0 0");
        assertThat(page).contains("id=\"bulk\"", "name=\"_csrf\"");
    }

    @Test
    void filtersSortAndKeysetPagesWalkTheWholeListOnce() throws Exception {
        assertThat(ruleIds(page("/my-services/queue?due=overdue", "olivia", "SERVICE_OWNER"))).containsExactly("Q1", "Q4");
        assertThat(ruleIds(page("/my-services/queue?due=7d", "olivia", "SERVICE_OWNER"))).containsExactly("Q2");
        assertThat(ruleIds(page("/my-services/queue?service=checkout-web", "olivia", "SERVICE_OWNER"))).containsExactly("Q3");
        assertThat(ruleIds(page("/my-services/queue?severity=high&status=all", "olivia", "SERVICE_OWNER"))).containsExactly("Q6", "Q2");
        assertThat(ruleIds(page("/my-services/queue?status=fixed", "olivia", "SERVICE_OWNER"))).containsExactly("Q6");
        assertThat(ruleIds(page("/my-services/queue?sort=severity", "olivia", "SERVICE_OWNER"))).containsExactly("Q1", "Q2", "Q3", "Q4");

        List<String> walked = new ArrayList<>();
        String url = "/my-services/queue?size=3";
        int pages = 0;
        while (url != null) {
            String html = page(url, "olivia", "SERVICE_OWNER");
            walked.addAll(ruleIds(html));
            Matcher next = Pattern.compile("href=\"([^\"]+)\" id=\"next-page\"").matcher(html);
            url = next.find() ? next.group(1).replace("&amp;", "&") : null;
            pages++;
        }
        assertThat(pages).isEqualTo(2);
        assertThat(walked).containsExactly("Q1", "Q4", "Q2", "Q3");

        List<String> bySeverity = new ArrayList<>();
        url = "/my-services/queue?sort=severity&size=1";
        while (url != null) {
            String html = page(url, "olivia", "SERVICE_OWNER");
            bySeverity.addAll(ruleIds(html));
            Matcher next = Pattern.compile("href=\"([^\"]+)\" id=\"next-page\"").matcher(html);
            url = next.find() ? next.group(1).replace("&amp;", "&") : null;
        }
        assertThat(bySeverity).containsExactly("Q1", "Q2", "Q3", "Q4");
    }

    @Test
    void badFiltersAreRefusedWithTheReason() throws Exception {
        mvc.perform(get("/my-services/queue?severity=urgent").with(as("olivia", "SERVICE_OWNER")))
                .andExpect(status().isBadRequest())
                .andExpect(content().string(Matchers.containsString("severity &#39;urgent&#39; must be one of critical, high, medium, low, unknown")));
        mvc.perform(get("/my-services/queue?team=ledger").with(as("olivia", "SERVICE_OWNER")))
                .andExpect(status().isBadRequest())
                .andExpect(content().string(Matchers.containsString("You are not a member of team &#39;ledger&#39;")));
        mvc.perform(get("/findings?after=nonsense").with(as("sam", "SECURITY")))
                .andExpect(status().isBadRequest());
        mvc.perform(get("/api/v1/findings?due=tomorrow").with(as("sam", "SECURITY")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("due 'tomorrow' must be one of overdue, 7d, 30d"));
    }

    @Test
    void allFindingsAreShownToSecurityAndExecutivesAndOwnersSeeTheirTeams() throws Exception {
        String executive = page("/findings", "eve", "EXECUTIVE");
        assertThat(ruleIds(executive)).containsExactly("Q1", "Q4", "Q2", "Q5", "Q3");
        // Figures over P90D (from 2025-12-01T12:00Z): Q6 fixed within SLA; Q1 and Q4 open past due → 1 of 3.
        // Time to remediate: Q6 only, 01-01 → 01-20 = 19 days.
        assertThat(executive.replaceAll("\\s+", " ")).contains("33.3%", "1 of 3: 1 fixed within SLA, 0 fixed late, 2 open past due",
                "19.0 days", "median of 1 fixed; p90 19.0 days, mean 19.0 days (too few findings for a trend)");
        // An executive changes nothing: no bulk form, no selection boxes.
        assertThat(executive).doesNotContain("id=\"bulk\"").doesNotContain("name=\"ids\"");
        assertThat(ruleIds(page("/findings?team=ledger", "sam", "SECURITY"))).containsExactly("Q5");
        assertThat(ruleIds(page("/findings", "lars", "SERVICE_OWNER"))).containsExactly("Q5");
        assertThat(ruleIds(page("/my-services/queue", "sam", "SECURITY"))).isEmpty();
    }

    @Test
    void theCsvExportHasEveryMatchingRowNotJustAPage() throws Exception {
        String csv = mvc.perform(get("/findings.csv?service=checkout-api&status=all&size=1").with(as("eve", "EXECUTIVE")))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Disposition", "attachment; filename=\"findings.csv\""))
                .andExpect(content().contentTypeCompatibleWith("text/csv"))
                .andReturn().getResponse().getContentAsString();

        assertThat(csv.split("\r\n")).containsExactly(
                "id,service,team,source,severity,cvss_score,rule_id,package_name,installed_version,fixed_version,subject,title,"
                        + "status,assignee,first_seen_at,last_seen_at,due_at,sla_days,sla_state,fixed_at",
                id("Q6") + ",checkout-api,checkout,vulnerability,high,,Q6,pkg-Q6,1.0,,,Q6 in pkg-Q6,fixed,,"
                        + "2026-01-01T00:00:00Z,2026-01-01T00:00:00Z,2026-01-31T00:00:00Z,30,fixed within SLA,2026-01-20T00:00:00Z",
                id("Q1") + ",checkout-api,checkout,vulnerability,critical,,Q1,pkg-Q1,1.0,,,Q1 in pkg-Q1,open,,"
                        + "2026-02-20T12:00:00Z,2026-02-20T12:00:00Z,2026-02-27T12:00:00Z,7,overdue by 2 days,",
                id("Q4") + ",checkout-api,checkout,vulnerability,low,,Q4,pkg-Q4,1.0,,,Q4 in pkg-Q4,open,,"
                        + "2025-09-01T00:00:00Z,2025-09-01T00:00:00Z,2026-02-28T00:00:00Z,180,overdue by 1 day,",
                id("Q2") + ",checkout-api,checkout,vulnerability,high,,Q2,pkg-Q2,1.0,,,Q2 in pkg-Q2,open,,"
                        + "2026-02-01T00:00:00Z,2026-02-01T00:00:00Z,2026-03-03T00:00:00Z,30,1 day left,");

        String queue = mvc.perform(get("/my-services/queue.csv?due=overdue").with(as("olivia", "SERVICE_OWNER")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(queue.split("\r\n")).hasSize(3);
        assertThat(queue).contains(",Q1,", ",Q4,").doesNotContain(",Q5,");
    }

    @Test
    void csvCellsThatASpreadsheetWouldEvaluateAreDefused() throws Exception {
        intake.reportScan(FindingsTestData.scan(CHECKOUT_API, "registry.example.com/acme/checkout-api@sha256:ffff", "trivy", "x-1", NOW,
                new ReportedVulnerability("=HYPERLINK(\"http://evil\")", "pkg,with,commas", "1", null, Severity.LOW, null, null,
                        "@SUM(A1)", FindingSource.VULNERABILITY)));
        String csv = mvc.perform(get("/findings.csv?severity=low&sort=last_seen").with(as("sam", "SECURITY")))
                .andReturn().getResponse().getContentAsString();
        assertThat(csv).contains(",\"'=HYPERLINK(\"\"http://evil\"\")\",\"pkg,with,commas\",1,,,'@SUM(A1),open,");
    }

    @Test
    void theApiListsFindingsWithTheSameFiltersAsJsonAndCsv() throws Exception {
        mvc.perform(get("/api/v1/findings?status=open&service=checkout-api&size=2").with(as("eve", "EXECUTIVE")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.total").value(3))
                .andExpect(jsonPath("$.page").value(0))
                .andExpect(jsonPath("$.size").value(2))
                .andExpect(jsonPath("$.items.length()").value(2))
                .andExpect(jsonPath("$.items[0].rule_id").value("Q1"))
                .andExpect(jsonPath("$.items[0].severity").value("critical"))
                .andExpect(jsonPath("$.items[0].status").value("open"))
                .andExpect(jsonPath("$.items[0].team").value("checkout"))
                .andExpect(jsonPath("$.items[0].package_name").value("pkg-Q1"))
                .andExpect(jsonPath("$.items[0].due_at").value("2026-02-27T12:00:00Z"))
                .andExpect(jsonPath("$.items[0].overdue").value(true))
                .andExpect(jsonPath("$.items[0].sla_state").value("overdue by 2 days"))
                .andExpect(jsonPath("$.items[1].rule_id").value("Q4"));
        // All statuses by default in the API.
        mvc.perform(get("/api/v1/findings?service=checkout-api").with(as("eve", "EXECUTIVE")))
                .andExpect(jsonPath("$.total").value(4));
        mvc.perform(get("/api/v1/findings?page=1&size=2&service=checkout-api&status=open").accept("text/csv").with(as("eve", "EXECUTIVE")))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString(",Q2,")))
                .andExpect(content().string(Matchers.not(Matchers.containsString(",Q1,"))));
        mvc.perform(get("/api/v1/findings/{id}", id("Q6")).with(as("olivia", "SERVICE_OWNER")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.finding.status").value("fixed"))
                .andExpect(jsonPath("$.reports[0].scanner").value("trivy"))
                .andExpect(jsonPath("$.reports[0].still_reported").value(false))
                .andExpect(jsonPath("$.history[0].action").value("created"))
                .andExpect(jsonPath("$.history[1].action").value("fixed"));
        mvc.perform(get("/api/v1/findings/999999").with(as("sam", "SECURITY")))
                .andExpect(status().isNotFound()).andExpect(jsonPath("$.detail").value("No finding 999999"));
    }

    @Test
    void securityChangesTheSlaAndTheDueDatesFollow() throws Exception {
        // checkout-api is tier 1: a tier-1 high SLA of 14 days moves Q2 (first seen 02-01) to 02-15, now overdue.
        mvc.perform(post("/findings/sla").with(as("sam", "SECURITY")).with(csrf())
                        .param("severity", "high").param("tier", "1").param("days", "14"))
                .andExpect(status().isFound());

        assertThat(jdbc.queryForList("select rule_id || '|' || sla_days || '|' || due_at from finding where severity = 'high' order by rule_id",
                String.class)).satisfiesExactly(
                        q2 -> assertThat(q2).startsWith("Q2|14|2026-02-15 00:00:00"),
                        q5 -> assertThat(q5).startsWith("Q5|30|2026-03-12 12:00:00"),
                        // Q6 is fixed: it keeps the SLA it was judged by.
                        q6 -> assertThat(q6).startsWith("Q6|30|2026-01-31 00:00:00"));
        String sla = page("/findings/sla", "olivia", "SERVICE_OWNER");
        assertThat(sla).contains("tier 1").contains("by sam").doesNotContain("id=\"sla-form\"");
        assertThat(jdbc.queryForList("select actor || '|' || action || '|' || entity_id || '|' || after_state from audit_log"
                + " where entity_type = 'sla_policy'", String.class)).containsExactly("sam|sla-policy.set|high/tier-1|{\"days\":14}");

        mvc.perform(post("/findings/sla/remove").with(as("sam", "SECURITY")).with(csrf()).param("severity", "high").param("tier", "1"))
                .andExpect(status().isFound());
        assertThat(jdbc.queryForObject("select sla_days from finding where rule_id = 'Q2'", Integer.class)).isEqualTo(30);
        mvc.perform(post("/findings/sla/remove").with(as("sam", "SECURITY")).with(csrf()).param("severity", "high").param("tier", "0"))
                .andExpect(status().isBadRequest());
    }

    @Test
    void theFindingPageShowsReportsHistoryAndTheActionsTheUserMayTake() throws Exception {
        long q2 = id("Q2");
        mvc.perform(post("/findings/{id}/start", q2).with(as("olivia", "SERVICE_OWNER")).with(csrf())).andExpect(status().isFound());
        mvc.perform(post("/findings/{id}/comment", q2).with(as("rita", "RESPONDER")).with(csrf())
                .param("body", "<script>alert(1)</script> patched in 1.1")).andExpect(status().isFound());

        String html = page("/findings/" + q2, "rita", "RESPONDER");
        assertThat(html).contains("in progress", "1 day left", "registry.example.com/acme/checkout-api@sha256:q2")
                .contains("started and assigned to olivia")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt; patched in 1.1").doesNotContain("<script>alert(1)")
                .contains("id=\"stop\"", "id=\"request-risk-acceptance\"", "id=\"false-positive\"", "id=\"add-comment\"")
                .doesNotContain("id=\"start\"");
        assertThat(jdbc.queryForList("select action || '|' || actor from finding_event where finding_id = ? order by id", String.class, q2))
                .containsExactly("created|system:scan:trivy", "start|olivia", "comment|rita");
    }

    private String page(String url, String name, String role) throws Exception {
        return mvc.perform(get(url).with(as(name, role))).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }

    /** The rule ids of the findings table, in order. */
    private static List<String> ruleIds(String html) {
        List<String> ids = new ArrayList<>();
        Matcher m = Pattern.compile("<a href=\"/findings/\\d+\">([^<]+)</a>").matcher(html);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    private long id(String ruleId) {
        return jdbc.queryForObject("select id from finding where rule_id = ?", Long.class, ruleId);
    }

    static RequestPostProcessor as(String name, String role) {
        return user(name).roles(role);
    }
}

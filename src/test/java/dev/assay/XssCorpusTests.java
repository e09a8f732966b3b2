package dev.assay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import dev.assay.collect.CollectionLauncher;
import dev.assay.collect.JobExecutions;
import dev.assay.findings.FindingsIntake;
import dev.assay.playbooks.Runbooks;

/**
 * Untrusted input, end to end (DESIGN §6–§7): the {@link XssCorpus} — script tags, event handlers,
 * {@code javascript:} URLs, SVG payloads and template-expression payloads — goes in through every
 * kind of collected text (catalog titles, descriptions, annotations, person names; CI run names,
 * branches, repositories and actors; SBOM component names, versions, licenses and purls; incident
 * titles and timeline notes; finding ids, packages and titles; runbook markdown), and every page that
 * shows it renders it inert: escaped, stripped, or as literal text, never evaluated.
 * {@code XssCorpusBrowserTest} checks the same pages in a real browser.
 */
@AssayIntegrationTest
@TestPropertySource(properties = "assay.sources-file=src/test/resources/sources/xss-sources.yml")
class XssCorpusTests {

    /** A payload as Thymeleaf's {@code th:text} writes it: escaped. */
    static String escaped(String payload) {
        return payload.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

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
        XssCorpus.inject((path, json) -> mvc.perform(post(path).with(user("ci").roles("ADMIN")).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content(json)).andExpect(status().isAccepted()),
                jdbc, launcher, executions, findings, runbooks);
    }

    @Test
    void everyPageThatShowsCollectedTextRendersItInert() throws Exception {
        List<String> pages = XssCorpus.pages(jdbc);
        List<String> failures = new ArrayList<>();
        List<String> notShowing = new ArrayList<>();
        for (String page : pages) {
            String body = mvc.perform(get(page).with(user(XssCorpus.READER).roles("ADMIN", "SECURITY"))).andExpect(status().isOk())
                    .andReturn().getResponse().getContentAsString();
            var live = XssCorpus.LIVE.matcher(body);
            if (live.find()) {
                int at = live.start();
                failures.add(page + ": live payload at …" + body.substring(Math.max(0, at - 60), Math.min(body.length(), at + 80)) + "…");
            }
            for (String payload : XssCorpus.PAYLOADS) {
                if (body.contains(payload)) {
                    failures.add(page + ": raw payload " + payload);
                }
            }
            if (!body.contains("alert(&#39;xss-") && !body.contains("alert('xss-")) {
                notShowing.add(page);
            }
            if (body.contains("uid=")) {
                failures.add(page + ": an expression was evaluated");
            }
        }
        assertThat(failures).isEmpty();
        // the payloads were really there to be rendered (as text): every page shows some, but the
        // executive report (figures only) and the users page (Assay's own users, not the catalog's)
        assertThat(notShowing).containsExactly("/reports/executive", "/admin/users");
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

    @Test
    void ciRunsAndSbomComponentsAreShownAsEscapedText() throws Exception {
        List<String> p = XssCorpus.PAYLOADS;
        String builds = page("/services/xss-service/builds");
        // run name, branch, trigger event, actor and repository of the mapped run; its javascript: link is not a link
        assertThat(builds).contains("<td>" + escaped(p.get(0)) + "</td>", "<td>" + escaped(p.get(1)) + "</td>",
                "<td>" + escaped(p.get(4)) + "</td>", "<td>" + escaped(p.get(3)) + "</td>", "<td>acme/" + escaped(p.get(3)) + "</td>",
                "<span>#7</span>").doesNotContain("javascript:");
        String unmapped = page("/admin/pipeline-runs/unmapped");
        assertThat(unmapped).contains("1 pipeline runs belong to no catalog service", "<td>" + escaped(p.get(4)) + "</td>",
                "<td>" + escaped(p.get(1)) + "/" + escaped(p.get(0)) + "</td>");
        String artifact = page("/artifacts/" + XssCorpus.DIGEST);
        // component names, versions, licenses, purls, the SBOM's tool and the license policy violation
        assertThat(artifact).contains("<td>" + escaped(p.get(0)) + "</td><td>" + escaped(p.get(1)) + "</td>",
                "<td>" + escaped(p.get(3)) + "</td><td>" + escaped(p.get(4)) + "</td>",
                "<td>" + escaped(p.get(2)) + "</td><td>[[${7*7}]]</td>", "<td>" + escaped(p.get(2)) + "</td><td class=\"digest\">",
                "<td class=\"digest\">" + escaped(p.get(1)) + "</td>", "by " + escaped(p.get(3)) + " 1</h3>", escaped(p.get(3)) + " " + escaped(p.get(4)) + "</td>")
                .doesNotContain(">49<");
        String search = page("/artifacts/" + XssCorpus.DIGEST + "?q=xss-1");
        assertThat(search).contains("<td>" + escaped(p.get(0)) + "</td>").doesNotContain("<td>" + escaped(p.get(3)) + "</td><td>");
    }

    private String page(String path) throws Exception {
        return mvc.perform(get(path).with(user(XssCorpus.READER).roles("ADMIN", "SECURITY"))).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
    }
}

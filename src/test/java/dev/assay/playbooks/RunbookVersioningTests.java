package dev.assay.playbooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;

import dev.assay.collect.CollectionLauncher;
import dev.assay.collect.JobExecutions;

/**
 * Every edit is a new version with its author, time and note; history, diff, review and the
 * conflict / validation answers of the editor; the rendered page of a hostile runbook is inert.
 */
@PlaybooksIntegrationTest
class RunbookVersioningTests {

    @Autowired MockMvc mvc;
    @Autowired Runbooks runbooks;
    @Autowired CollectionLauncher launcher;
    @Autowired JobExecutions executions;
    @Autowired MutableClock clock;
    @Autowired DataSource dataSource;

    JdbcTemplate jdbc;
    long checkout;
    String original;

    @BeforeEach
    void importPlaybooks() {
        PlaybookFixtures.cleanAndImport(dataSource, launcher, executions, clock);
        jdbc = new JdbcTemplate(dataSource);
        checkout = PlaybookFixtures.runbookId(jdbc, "checkout-api-outage");
        original = runbooks.current(checkout).document();
    }

    @Test
    @WithMockUser(username = "olive", roles = "SERVICE_OWNER")
    void anEditIsANewVersionWithAuthorTimeAndNote() throws Exception {
        clock.set("2026-03-02T10:15:00Z");
        String edited = original.replace("(10 min)", "(8 min)").replace("- [ ] Write the timeline\n",
                "- [ ] Write the timeline\n- [ ] Schedule the review (critical)\n");

        mvc.perform(post("/runbooks/{id}/edit", checkout).with(csrf()).param("document", edited)
                        .param("changeNote", "Dashboard check is quicker; add the review step").param("baseVersion", "1"))
                .andExpect(status().isFound()).andExpect(redirectedUrl("/runbooks/" + checkout));

        RunbookSummary after = runbooks.find(checkout).orElseThrow();
        assertThat(after.currentVersion()).isEqualTo(2);
        assertThat(runbooks.history(checkout)).extracting(v -> v.number(), v -> v.author(), v -> v.origin(),
                v -> v.createdAt().toString(), v -> v.changeNote()).containsExactly(
                        tuple(2, "olive", "edit", "2026-03-02T10:15:00Z", "Dashboard check is quicker; add the review step"),
                        tuple(1, "system:import:playbooks-runbooks", "import", "2026-03-01T09:00:02Z",
                                "Imported from runbooks/checkout-api-outage.md"));
        assertThat(runbooks.version(after, 1).document()).isEqualTo(original);
        assertThat(runbooks.current(checkout).content().steps()).hasSize(6);
        assertThat(runbooks.current(checkout).content().steps().get(1).expectedMinutes()).isEqualTo(8);
        assertThat(jdbc.queryForList("select actor || ' ' || action from audit_log where entity_id = 'checkout-api-outage'"
                + " order by id", String.class)).containsExactly("system:import:playbooks-runbooks runbook.imported",
                        "olive runbook.edited");
        // The review date did not move: the editor did not say they reviewed the whole runbook.
        assertThat(after.lastReviewedAt()).hasToString("2026-02-01T00:00:00Z");

        mvc.perform(get("/runbooks/{id}/history", checkout))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("Dashboard check is quicker; add the review step"),
                        containsString("diff with 1"), containsString("imported (playbooks-runbooks)"))));
        mvc.perform(get("/runbooks/{id}/diff", checkout).param("from", "1").param("to", "2"))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("2 line(s) added, 1 removed."),
                        containsString("<td class=\"marker\">-</td>\n      <td><code>- [ ] Check the error rate on the checkout dashboard (10 min)</code>"),
                        containsString("<td class=\"marker\">+</td>\n      <td><code>- [ ] Check the error rate on the checkout dashboard (8 min)</code>"),
                        containsString("<code>- [ ] Schedule the review (critical)</code>"))));
        mvc.perform(get("/runbooks/{id}/versions/1", checkout)).andExpect(status().isOk())
                .andExpect(content().string(containsString("You are reading version <strong>1</strong>")));
    }

    @Test
    @WithMockUser(username = "olive", roles = "SERVICE_OWNER")
    void savingTheSameTextAddsNoVersionButCanRecordAReview() throws Exception {
        clock.set("2026-03-05T08:00:00Z");

        mvc.perform(post("/runbooks/{id}/edit", checkout).with(csrf()).param("document", original)
                        .param("changeNote", "nothing").param("baseVersion", "1").param("reviewed", "true"))
                .andExpect(status().isFound());

        RunbookSummary after = runbooks.find(checkout).orElseThrow();
        assertThat(after.currentVersion()).isEqualTo(1);
        assertThat(after.lastReviewedAt()).hasToString("2026-03-05T08:00:00Z");
        assertThat(after.lastReviewedBy()).isEqualTo("olive");
        assertThat(jdbc.queryForList("select action from audit_log where entity_id = 'checkout-api-outage' order by id",
                String.class)).containsExactly("runbook.imported", "runbook.reviewed");
    }

    @Test
    @WithMockUser(username = "olive", roles = "SERVICE_OWNER")
    void theEditorRefusesBadDocumentsAndStaleBasesWithTheReason() throws Exception {
        mvc.perform(post("/runbooks/{id}/edit", checkout).with(csrf()).param("document", original.replace("title:", "titel:"))
                        .param("changeNote", "typo").param("baseVersion", "1"))
                .andExpect(status().isBadRequest())
                .andExpect(content().string(allOf(containsString("unknown front-matter field &#39;titel&#39;"),
                        containsString("titel: Checkout API outage"))));
        mvc.perform(post("/runbooks/{id}/edit", checkout).with(csrf()).param("document", original + "\nMore.\n")
                        .param("changeNote", " ").param("baseVersion", "1"))
                .andExpect(status().isBadRequest())
                .andExpect(content().string(containsString("a change note is required: say what changed and why")));
        mvc.perform(post("/runbooks/{id}/edit", checkout).with(csrf())
                        .param("document", original.replace("runbook: checkout-api-outage", "runbook: renamed"))
                        .param("changeNote", "rename").param("baseVersion", "1"))
                .andExpect(status().isBadRequest())
                .andExpect(content().string(containsString("a runbook cannot be renamed")));

        runbooks.edit(checkout, original + "\nAdded by rita.\n", "rita's change", 1, false, "rita");
        mvc.perform(post("/runbooks/{id}/edit", checkout).with(csrf()).param("document", original + "\nAdded by olive.\n")
                        .param("changeNote", "olive's change").param("baseVersion", "1"))
                .andExpect(status().isConflict())
                .andExpect(content().string(allOf(containsString("Version 2 was saved by rita after you opened version 1"),
                        containsString("Added by olive."))));
        assertThat(runbooks.find(checkout).orElseThrow().currentVersion()).isEqualTo(2);
        assertThat(runbooks.current(checkout).document()).endsWith("Added by rita.\n");
    }

    @Test
    @WithMockUser(username = "olive", roles = "SERVICE_OWNER")
    void markingReviewedMakesAStaleRunbookFreshUntilItsIntervalPassesAgain() throws Exception {
        long ledger = PlaybookFixtures.runbookId(jdbc, "ledger-reconciliation");
        assertThat(runbooks.find(ledger).orElseThrow().stale()).isTrue();

        mvc.perform(post("/runbooks/{id}/review", ledger).with(csrf())).andExpect(status().isFound());

        RunbookSummary reviewed = runbooks.find(ledger).orElseThrow();
        assertThat(reviewed.stale()).isFalse();
        assertThat(reviewed.lastReviewedAt()).hasToString("2026-03-01T09:00:02Z");
        assertThat(reviewed.reviewDueAt()).hasToString("2026-05-30T09:00:02Z");
        clock.set("2026-05-30T09:00:02Z");
        assertThat(runbooks.find(ledger).orElseThrow().stale()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(runbooks.find(ledger).orElseThrow().stale()).isTrue();
    }

    @Test
    @WithMockUser(username = "exec", roles = "EXECUTIVE")
    void pagesShowTheStructuredPartsAndAddressRunbooksByIdOrSlug() throws Exception {
        mvc.perform(get("/runbooks"))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("Checkout API outage"), containsString("Edge TLS certificate expiry"),
                        containsString("<p class=\"figure-value\" id=\"runbook-freshness\">50.0%</p>"),
                        not(containsString("New runbook")))));
        mvc.perform(get("/runbooks").param("team", "checkout"))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("Checkout API outage"), containsString("Ledger reconciliation failure"),
                        not(containsString("Edge TLS certificate expiry")))));
        mvc.perform(get("/runbooks/checkout-api-outage"))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("<th scope=\"row\">Incident commander</th>"),
                        containsString("<strong>checkout on-call primary</strong>"),
                        containsString("— wait 5 min for an acknowledgement, then escalate"),
                        containsString("<code>{start_time}</code>"),
                        containsString("<span>Fail over to the secondary region</span>"),
                        not(containsString("Start a drill")), not(containsString("Edit (new version)")))));
        mvc.perform(get("/runbooks/{id}/diff", checkout).param("from", "1").param("to", "7"))
                .andExpect(status().isNotFound())
                .andExpect(content().string(containsString("Runbook &#39;checkout-api-outage&#39; has no version 7")));
        mvc.perform(get("/runbooks/no-such-runbook")).andExpect(status().isNotFound());
        mvc.perform(get("/runbooks/{id}/diff", checkout).param("from", "one")).andExpect(status().isBadRequest());
    }

    @Test
    @WithMockUser(username = "security", roles = "SECURITY")
    void aHostileRunbookRendersInertOnItsPage() throws Exception {
        String hostile = resource("/playbooks/evil-runbook.md");
        mvc.perform(post("/runbooks").with(csrf()).param("document", hostile).param("changeNote", "hostile"))
                .andExpect(status().isFound());
        long id = PlaybookFixtures.runbookId(jdbc, "payments-hostile-markup");

        String page = mvc.perform(get("/runbooks/{id}", id)).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();

        assertThat(page).contains("<article class=\"prose runbook-body\"><h1>Payments outage </h1>\n"
                + "<p>Call the on-call now.</p>\n\n\n<p></p>\n\n"
                + "<p>status page and <a href=\"https://grafana.acme.example/d/payments\" rel=\"nofollow noopener noreferrer\">"
                + "dashboard</a> and data</p>\n<p>hover</p>\n");
        // Front-matter text is escaped wherever it is shown.
        assertThat(page).contains("<h1>Payments outage &lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;</h1>")
                .contains("<th scope=\"row\">&lt;img src=x onerror=alert(&#39;role&#39;)&gt;</th>")
                .contains("&lt;script&gt;alert(&#39;template&#39;)&lt;/script&gt; since {start_time}");
        assertThat(page).doesNotContain("<script>alert").doesNotContain("<script>fetch").doesNotContain("onerror=\"")
                .doesNotContain("onload=").doesNotContain("onclick=").doesNotContain("javascript:alert")
                .doesNotContain("<iframe").doesNotContain("<svg").doesNotContain("data:text/html");
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = RunbookVersioningTests.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

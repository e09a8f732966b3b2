package dev.assay.playbooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import dev.assay.collect.CollectionLauncher;
import dev.assay.collect.JobExecutions;

/**
 * Who may change runbooks and run drills: the runbook's teams (named, or owning its services in
 * the catalog) for RESPONDER and SERVICE_OWNER; SECURITY and ADMIN anything; EXECUTIVE nothing.
 * In the test catalog olive (SERVICE_OWNER) and rita (RESPONDER) are in checkout, ivan (RESPONDER)
 * in identity; nobody is in platform.
 */
@PlaybooksIntegrationTest
class PlaybookPermissionTests {

    static final RequestPostProcessor OLIVE = user("olive").roles("SERVICE_OWNER");
    static final RequestPostProcessor RITA = user("rita").roles("RESPONDER");
    static final RequestPostProcessor IVAN = user("ivan").roles("RESPONDER");
    static final RequestPostProcessor EXEC = user("exec").roles("EXECUTIVE");
    static final RequestPostProcessor SECURITY = user("sec").roles("SECURITY");
    static final RequestPostProcessor ADMIN = user("root").roles("ADMIN");

    @Autowired MockMvc mvc;
    @Autowired Runbooks runbooks;
    @Autowired Drills drills;
    @Autowired CollectionLauncher launcher;
    @Autowired JobExecutions executions;
    @Autowired MutableClock clock;
    @Autowired DataSource dataSource;

    JdbcTemplate jdbc;
    long checkout;
    long ledger;
    long login;
    long edge;
    String checkoutText;

    @BeforeEach
    void importPlaybooks() {
        PlaybookFixtures.cleanAndImport(dataSource, launcher, executions, clock);
        jdbc = new JdbcTemplate(dataSource);
        checkout = PlaybookFixtures.runbookId(jdbc, "checkout-api-outage");
        ledger = PlaybookFixtures.runbookId(jdbc, "ledger-reconciliation");
        login = PlaybookFixtures.runbookId(jdbc, "login-credential-stuffing");
        edge = PlaybookFixtures.runbookId(jdbc, "edge-tls-expiry");
        checkoutText = runbooks.current(checkout).document();
    }

    @Test
    void aResponderOfAnotherTeamIsRefusedOnEveryChange() throws Exception {
        long drill = drills.plan(checkout, null, "tabletop", null, true, "rita");
        int auditBefore = audit();

        for (MockHttpServletRequestBuilder change : changesTo(checkout, drill)) {
            mvc.perform(change.with(IVAN).with(csrf())).andExpect(status().isForbidden())
                    .andExpect(content().string(containsString("Only the teams of runbook &#39;checkout-api-outage&#39;")));
        }
        mvc.perform(get("/runbooks/{id}/edit", checkout).with(IVAN)).andExpect(status().isForbidden());
        // The ledger runbook names no team: its service's owning team (checkout) is its team.
        mvc.perform(post("/runbooks/{id}/review", ledger).with(IVAN).with(csrf())).andExpect(status().isForbidden());

        assertThat(audit()).isEqualTo(auditBefore);
        assertThat(runbooks.find(checkout).orElseThrow().currentVersion()).isEqualTo(1);
        assertThat(drills.require(drill).steps()).allMatch(s -> s.status().equals("pending"));
        // ... and may read everything.
        mvc.perform(get("/runbooks/{id}", checkout).with(IVAN)).andExpect(status().isOk());
        mvc.perform(get("/drills/{id}", drill).with(IVAN)).andExpect(status().isOk())
                .andExpect(content().string(org.hamcrest.Matchers.not(containsString("aria-label=\"Start step 1\""))));
    }

    @Test
    void anExecutiveReadsEverythingAndChangesNothing() throws Exception {
        long drill = drills.plan(checkout, null, "tabletop", null, true, "rita");
        int auditBefore = audit();

        for (MockHttpServletRequestBuilder change : changesTo(checkout, drill)) {
            mvc.perform(change.with(EXEC).with(csrf())).andExpect(status().isForbidden());
        }
        for (long runbook : List.of(ledger, login, edge)) {
            mvc.perform(post("/runbooks/{id}/review", runbook).with(EXEC).with(csrf())).andExpect(status().isForbidden());
            mvc.perform(post("/runbooks/{id}/drills", runbook).with(EXEC).with(csrf()).param("kind", "live"))
                    .andExpect(status().isForbidden());
        }
        mvc.perform(post("/runbooks").with(EXEC).with(csrf()).param("document", checkoutText.replace("checkout-api-outage", "x-y")))
                .andExpect(status().isForbidden());
        mvc.perform(get("/runbooks/new").with(EXEC)).andExpect(status().isForbidden());

        assertThat(audit()).isEqualTo(auditBefore);
        for (String page : List.of("/runbooks", "/runbooks/" + checkout, "/runbooks/" + checkout + "/history",
                "/runbooks/" + checkout + "/diff?from=1&to=1", "/drills/" + drill, "/drills/" + drill + "/report",
                "/api/v1/runbooks", "/api/v1/drills")) {
            mvc.perform(get(page).with(EXEC)).andExpect(status().isOk());
        }
    }

    @Test
    void theTeamOwningTheRunbookMayChangeItAndRunItsDrills() throws Exception {
        long drill = drills.plan(checkout, null, "tabletop", null, true, "rita");
        List<MockHttpServletRequestBuilder> changes = changesTo(checkout, drill);
        for (int i = 0; i < changes.size(); i++) {
            mvc.perform(changes.get(i).with(i % 2 == 0 ? OLIVE : RITA).with(csrf())).andExpect(status().isFound());
        }
        assertThat(runbooks.find(checkout).orElseThrow().currentVersion()).isEqualTo(2);
        // Named by its service only, ledger belongs to checkout through the catalog.
        mvc.perform(post("/runbooks/{id}/review", ledger).with(OLIVE).with(csrf())).andExpect(status().isFound());
        mvc.perform(post("/runbooks/{id}/drills", login).with(IVAN).with(csrf()).param("kind", "live").param("begin", "true"))
                .andExpect(status().isFound());
        mvc.perform(get("/runbooks/{id}/edit", checkout).with(RITA)).andExpect(status().isOk());
    }

    @Test
    void nobodyHandsARunbookToATeamTheyAreNotIn() throws Exception {
        String toIdentity = checkoutText.replace("services: [checkout-api]", "services: [login-api]")
                .replace("teams: [checkout]", "teams: [identity]");
        mvc.perform(post("/runbooks/{id}/edit", checkout).with(OLIVE).with(csrf()).param("document", toIdentity)
                        .param("changeNote", "move").param("baseVersion", "1"))
                .andExpect(status().isForbidden())
                .andExpect(content().string(containsString("With this change runbook &#39;checkout-api-outage&#39; would belong"
                        + " to teams you are not in (identity); SECURITY or ADMIN can hand it over")));
        mvc.perform(post("/runbooks").with(OLIVE).with(csrf()).param("document",
                        toIdentity.replace("runbook: checkout-api-outage", "runbook: identity-thing")))
                .andExpect(status().isForbidden());
        mvc.perform(post("/runbooks").with(OLIVE).with(csrf()).param("document",
                        checkoutText.replace("runbook: checkout-api-outage", "runbook: checkout-second")))
                .andExpect(status().isFound());
        assertThat(runbooks.findBySlug("checkout-second")).isPresent();
        assertThat(runbooks.findBySlug("identity-thing")).isEmpty();
        assertThat(runbooks.find(checkout).orElseThrow().teams()).containsExactly("checkout");
    }

    @Test
    void aRunbookOfATeamWithoutMembersIsChangedOnlyBySecurityOrAdmin() throws Exception {
        mvc.perform(post("/runbooks/{id}/review", edge).with(RITA).with(csrf())).andExpect(status().isForbidden());
        mvc.perform(post("/runbooks/{id}/review", edge).with(SECURITY).with(csrf())).andExpect(status().isFound());
        mvc.perform(post("/runbooks/{id}/drills", edge).with(ADMIN).with(csrf()).param("kind", "live"))
                .andExpect(status().isFound());
        mvc.perform(get("/runbooks/{id}", edge).with(SECURITY)).andExpect(status().isOk())
                .andExpect(content().string(containsString("Edit (new version)")));
    }

    @Test
    void changesNeedTheCsrfToken() throws Exception {
        mvc.perform(post("/runbooks/{id}/review", checkout).with(OLIVE)).andExpect(status().isForbidden());
        assertThat(runbooks.find(checkout).orElseThrow().lastReviewedBy()).isEqualTo("front matter of version 1");
    }

    /** One request of every kind that changes a runbook or its drill, in an order that succeeds for an allowed user. */
    private List<MockHttpServletRequestBuilder> changesTo(long runbook, long drill) {
        return List.of(
                post("/runbooks/{id}/edit", runbook).param("document", checkoutText + "\nOne more line.\n")
                        .param("changeNote", "more").param("baseVersion", "1"),
                post("/runbooks/{id}/review", runbook),
                post("/runbooks/{id}/drills", runbook).param("kind", "live"),
                post("/drills/{id}/participants", drill).param("role", "Incident commander").param("people", "rita"),
                post("/drills/{id}/steps/1/start", drill),
                post("/drills/{id}/steps/1/complete", drill),
                post("/drills/{id}/steps/2/skip", drill).param("reason", "n/a"),
                post("/drills/{id}/actions", drill).param("title", "t").param("owner", "o").param("due", "2026-12-31"),
                post("/drills/{id}/finish", drill).param("outcome", "succeeded"));
    }

    private int audit() {
        return jdbc.queryForObject("select count(*) from audit_log", Integer.class);
    }
}

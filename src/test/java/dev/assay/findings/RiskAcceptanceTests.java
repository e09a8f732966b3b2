package dev.assay.findings;

import static dev.assay.findings.FindingsTestData.CHECKOUT_API;
import static dev.assay.findings.FindingsTestData.seed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.config.ScheduledTask;
import org.springframework.scheduling.config.ScheduledTaskHolder;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import dev.assay.catalog.Catalog;
import dev.assay.collect.CollectionLauncher;
import dev.assay.collect.JobExecutions;
import dev.assay.findings.internal.RiskAcceptanceExpiry;

/**
 * Risk acceptance through the pages: an owner asks, a SECURITY user other than the asker approves,
 * and the finding reopens by itself at the expiry (on the schedule and on read), all with a clock
 * the test moves.
 */
@FindingsIntegrationTest
class RiskAcceptanceTests {

    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @Autowired MockMvc mvc;
    @Autowired FindingsIntake intake;
    @Autowired RiskAcceptanceExpiry expiry;
    @Autowired List<ScheduledTaskHolder> scheduled;
    @Autowired Catalog catalog;
    @Autowired CollectionLauncher launcher;
    @Autowired JobExecutions executions;
    @Autowired DataSource dataSource;
    @Autowired TestClock clock;

    JdbcTemplate jdbc;
    long finding;

    @BeforeEach
    void setUp() {
        FindingsTestData.freshDatabaseWithCatalog(dataSource, catalog, launcher, executions);
        jdbc = new JdbcTemplate(dataSource);
        clock.set(NOW);
        seed(intake, CHECKOUT_API, "CVE-2026-1000", Severity.HIGH, NOW.minus(Duration.ofDays(10)), null);
        finding = jdbc.queryForObject("select id from finding", Long.class);
    }

    @Test
    void anOwnerAsksAndASecondPersonWithSecurityApproves() throws Exception {
        mvc.perform(post("/findings/{id}/risk-acceptance", finding).with(as("olivia", "SERVICE_OWNER")).with(csrf())
                        .param("justification", "Only reachable from the internal network").param("expires", "2026-03-31"))
                .andExpect(status().isFound()).andExpect(redirectedUrl("/findings/" + finding))
                .andExpect(flash().attribute("message", "Risk acceptance requested; a SECURITY user other than you must approve it."));
        long request = jdbc.queryForObject("select id from risk_acceptance", Long.class);
        assertThat(jdbc.queryForObject("select status || '|' || requested_by || '|' || expires_at from risk_acceptance", String.class))
                .startsWith("pending|olivia|2026-04-01");
        assertThat(findingStatus()).isEqualTo("open");

        // The page of SECURITY's queue lists it with the decision buttons for sam.
        mvc.perform(get("/findings/approvals").with(as("sam", "SECURITY")))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("Only reachable from the internal network")))
                .andExpect(content().string(Matchers.containsString("id=\"approve-" + request + "\"")));

        // An owner cannot approve, even another team's request... and not their own.
        mvc.perform(post("/findings/risk-acceptances/{id}/approve", request).with(as("olivia", "SERVICE_OWNER")).with(csrf()))
                .andExpect(status().isForbidden())
                .andExpect(content().string(Matchers.containsString("Only a SECURITY user can approve a risk acceptance")));

        mvc.perform(post("/findings/risk-acceptances/{id}/approve", request).with(as("sam", "SECURITY")).with(csrf())
                        .param("note", "Reviewed the network policy").param("returnTo", "/findings/approvals"))
                .andExpect(status().isFound()).andExpect(redirectedUrl("/findings/approvals"));

        assertThat(findingStatus()).isEqualTo("risk_accepted");
        assertThat(jdbc.queryForObject("select status || '|' || decided_by || '|' || decision_note from risk_acceptance",
                String.class)).isEqualTo("approved|sam|Reviewed the network policy");
        assertThat(jdbc.queryForList("select actor || '|' || action from audit_log where entity_type = 'finding' order by id",
                String.class)).containsExactly("olivia|finding.request-risk-acceptance", "sam|finding.approve");
        assertThat(jdbc.queryForObject("select after_state from audit_log where action = 'finding.approve'", String.class))
                .isEqualTo("{\"status\":\"risk_accepted\",\"risk_acceptance\":" + request
                        + ",\"expires_at\":\"2026-04-01T00:00:00Z\",\"approved_by\":\"sam\"}");
    }

    @Test
    void theRequesterCannotApproveTheirOwnRequest() throws Exception {
        mvc.perform(post("/findings/{id}/risk-acceptance", finding).with(as("sam", "SECURITY")).with(csrf())
                        .param("justification", "Vendor patch scheduled for next sprint").param("expires", "2026-03-15"))
                .andExpect(status().isFound());
        long request = jdbc.queryForObject("select id from risk_acceptance", Long.class);

        mvc.perform(post("/findings/risk-acceptances/{id}/approve", request).with(as("sam", "SECURITY")).with(csrf()))
                .andExpect(status().isForbidden())
                .andExpect(content().string(Matchers.containsString(
                        "You requested risk acceptance " + request + "; another SECURITY user must approve it")));
        assertThat(findingStatus()).isEqualTo("open");
        assertThat(jdbc.queryForObject("select status from risk_acceptance", String.class)).isEqualTo("pending");

        // The finding's page offers sam no approve button, and a second SECURITY user one.
        mvc.perform(get("/findings/{id}", finding).with(as("sam", "SECURITY")))
                .andExpect(content().string(Matchers.not(Matchers.containsString("id=\"approve\""))))
                .andExpect(content().string(Matchers.containsString("Another SECURITY user must approve it.")));
        mvc.perform(get("/findings/{id}", finding).with(as("sue", "SECURITY")))
                .andExpect(content().string(Matchers.containsString("id=\"approve\"")));
        mvc.perform(post("/findings/risk-acceptances/{id}/approve", request).with(as("sue", "SECURITY")).with(csrf()))
                .andExpect(status().isFound());
        assertThat(findingStatus()).isEqualTo("risk_accepted");
    }

    @Test
    void anApprovedAcceptanceReopensAtItsExpiryWhenRead() throws Exception {
        long request = requestAndApprove("2026-03-10");

        clock.set(Instant.parse("2026-03-10T23:59:59Z"));
        mvc.perform(get("/findings/{id}", finding).with(as("olivia", "SERVICE_OWNER"))).andExpect(status().isOk());
        assertThat(findingStatus()).isEqualTo("risk_accepted");

        clock.set(Instant.parse("2026-03-11T00:00:00Z"));
        mvc.perform(get("/findings/{id}", finding).with(as("olivia", "SERVICE_OWNER")))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("risk-acceptance-expired")));

        assertThat(findingStatus()).isEqualTo("open");
        assertThat(jdbc.queryForObject("select status || '|' || ended_at from risk_acceptance where id = ?", String.class, request))
                .startsWith("expired|2026-03-11 00:00:00");
        // The history line is dated at the expiry, by the system.
        assertThat(jdbc.queryForObject("select actor || '|' || from_status || '|' || to_status || '|' || occurred_at from finding_event"
                + " where action = 'risk-acceptance-expired'", String.class))
                .startsWith("system:risk-acceptance-expiry|risk_accepted|open|2026-03-11 00:00:00");
        assertThat(jdbc.queryForList("select actor from audit_log where action = 'finding.risk-acceptance-expired'", String.class))
                .containsExactly("system:risk-acceptance-expiry");
    }

    @Test
    void theScheduledCheckReopensExpiredAcceptancesOnce() {
        try {
            requestAndApprove("2026-03-05");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(scheduled.stream().flatMap(h -> h.getScheduledTasks().stream()).map(ScheduledTask::toString))
                .anyMatch(task -> task.contains("FindingsScheduling.expireRiskAcceptances"));

        clock.set(Instant.parse("2026-03-06T00:10:00Z"));
        assertThat(expiry.expireDue()).isEqualTo(1);
        assertThat(expiry.expireDue()).isZero();

        assertThat(findingStatus()).isEqualTo("open");
        assertThat(jdbc.queryForObject("select count(*) from finding_event where action = 'risk-acceptance-expired'", Integer.class))
                .isEqualTo(1);
    }

    @Test
    void approvingAfterTheRequestedExpiryOrAskingTwiceIsAConflict() throws Exception {
        mvc.perform(post("/findings/{id}/risk-acceptance", finding).with(as("olivia", "SERVICE_OWNER")).with(csrf())
                        .param("justification", "Only reachable from the internal network").param("expires", "2026-03-02"))
                .andExpect(status().isFound());
        mvc.perform(post("/findings/{id}/risk-acceptance", finding).with(as("rita", "RESPONDER")).with(csrf())
                        .param("justification", "A second request for the same thing").param("expires", "2026-03-20"))
                .andExpect(status().isConflict())
                .andExpect(content().string(Matchers.containsString("Finding " + finding + " already has a pending risk acceptance request")));
        long request = jdbc.queryForObject("select id from risk_acceptance", Long.class);

        clock.set(Instant.parse("2026-03-04T00:00:00Z"));
        mvc.perform(post("/findings/risk-acceptances/{id}/approve", request).with(as("sam", "SECURITY")).with(csrf()))
                .andExpect(status().isConflict())
                .andExpect(content().string(Matchers.containsString("has passed; reject this request and ask for a new one")));
        assertThat(findingStatus()).isEqualTo("open");
    }

    @Test
    void requestsNeedAJustificationAndAnExpiryInTheNextYear() throws Exception {
        mvc.perform(post("/findings/{id}/risk-acceptance", finding).with(as("olivia", "SERVICE_OWNER")).with(csrf())
                        .param("justification", "short").param("expires", "2026-03-31"))
                .andExpect(status().isBadRequest())
                .andExpect(content().string(Matchers.containsString("justification must be at least 10 characters")));
        mvc.perform(post("/findings/{id}/risk-acceptance", finding).with(as("olivia", "SERVICE_OWNER")).with(csrf())
                        .param("justification", "Only reachable from the internal network").param("expires", "2028-01-01"))
                .andExpect(status().isBadRequest())
                .andExpect(content().string(Matchers.containsString("the expiry may be at most 365 days ahead")));
        mvc.perform(post("/findings/{id}/risk-acceptance", finding).with(as("olivia", "SERVICE_OWNER")).with(csrf())
                        .param("justification", "Only reachable from the internal network").param("expires", "next week"))
                .andExpect(status().isBadRequest())
                .andExpect(content().string(Matchers.containsString("expires &#39;next week&#39; is not a date such as 2026-03-31")));
        assertThat(jdbc.queryForObject("select count(*) from risk_acceptance", Integer.class)).isZero();
    }

    private long requestAndApprove(String until) throws Exception {
        mvc.perform(post("/findings/{id}/risk-acceptance", finding).with(as("olivia", "SERVICE_OWNER")).with(csrf())
                        .param("justification", "Only reachable from the internal network").param("expires", until))
                .andExpect(status().isFound());
        long request = jdbc.queryForObject("select id from risk_acceptance where status = 'pending'", Long.class);
        mvc.perform(post("/findings/risk-acceptances/{id}/approve", request).with(as("sam", "SECURITY")).with(csrf()))
                .andExpect(status().isFound());
        assertThat(findingStatus()).isEqualTo("risk_accepted");
        return request;
    }

    private String findingStatus() {
        return jdbc.queryForObject("select status from finding where id = ?", String.class, finding);
    }

    static RequestPostProcessor as(String name, String role) {
        return user(name).roles(role);
    }
}

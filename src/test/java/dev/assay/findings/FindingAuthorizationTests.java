package dev.assay.findings;

import static dev.assay.findings.FindingsTestData.CHECKOUT_API;
import static dev.assay.findings.FindingsTestData.ORPHAN;
import static dev.assay.findings.FindingsTestData.seed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import javax.sql.DataSource;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import dev.assay.catalog.Catalog;
import dev.assay.collect.CollectionLauncher;
import dev.assay.collect.JobExecutions;

/**
 * Object-level authorisation of every action on a finding of checkout-api (owned by team checkout:
 * olivia SERVICE_OWNER, rita RESPONDER), for each role and for members of another team (ledger:
 * lars, roger). Allowed: the owning team, SECURITY, ADMIN; approving and rejecting a risk
 * acceptance: SECURITY only (and not the requester); the SLA policy: SECURITY only. Everyone else
 * gets 403 with the reason, and nothing changes.
 */
@FindingsIntegrationTest
class FindingAuthorizationTests {

    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    /** The people of the matrix. */
    enum Who {
        OWN_TEAM_OWNER("olivia", "SERVICE_OWNER"), OWN_TEAM_RESPONDER("rita", "RESPONDER"),
        OTHER_TEAM_OWNER("lars", "SERVICE_OWNER"), OTHER_TEAM_RESPONDER("roger", "RESPONDER"),
        EXECUTIVE("eve", "EXECUTIVE"), SECURITY("sam", "SECURITY"), ADMIN("adam", "ADMIN");

        final String username;
        final String role;

        Who(String username, String role) {
            this.username = username;
            this.role = role;
        }

        RequestPostProcessor login() {
            return user(username).roles(role);
        }

        boolean changesCheckout() {
            return this == OWN_TEAM_OWNER || this == OWN_TEAM_RESPONDER || this == SECURITY || this == ADMIN;
        }
    }

    /** Each action: what state it needs, the request, and the query that shows it happened. */
    enum Action {
        ASSIGN_TO_ME(null, ctx -> post("/findings/{id}/assign-to-me", ctx.finding),
                "select count(*) from finding where assignee is not null"),
        ASSIGN(null, ctx -> post("/findings/{id}/assign", ctx.finding).param("assignee", "olivia"),
                "select count(*) from finding where assignee = 'olivia'"),
        START(null, ctx -> post("/findings/{id}/start", ctx.finding),
                "select count(*) from finding where status = 'in_progress'"),
        STOP("update finding set status = 'in_progress'", ctx -> post("/findings/{id}/stop", ctx.finding),
                "select count(*) from finding where status = 'open'"),
        FALSE_POSITIVE(null, ctx -> post("/findings/{id}/false-positive", ctx.finding).param("reason", "Test key, never deployed"),
                "select count(*) from finding where status = 'false_positive'"),
        REOPEN("update finding set status = 'false_positive', actionable = false", ctx -> post("/findings/{id}/reopen", ctx.finding),
                "select count(*) from finding where status = 'open'"),
        REQUEST_RISK_ACCEPTANCE(null, ctx -> post("/findings/{id}/risk-acceptance", ctx.finding)
                .param("justification", "Compensating control in place").param("expires", "2026-04-30"),
                "select count(*) from risk_acceptance where status = 'pending'"),
        COMMENT(null, ctx -> post("/findings/{id}/comment", ctx.finding).param("body", "Looking into it"),
                "select count(*) from finding_event where action = 'comment'"),
        APPROVE("pending", ctx -> post("/findings/risk-acceptances/{id}/approve", ctx.acceptance),
                "select count(*) from finding where status = 'risk_accepted'"),
        REJECT("pending", ctx -> post("/findings/risk-acceptances/{id}/reject", ctx.acceptance),
                "select count(*) from risk_acceptance where status = 'rejected'"),
        WITHDRAW("pending", ctx -> post("/findings/risk-acceptances/{id}/withdraw", ctx.acceptance),
                "select count(*) from risk_acceptance where status = 'withdrawn'"),
        SET_SLA(null, ctx -> post("/findings/sla").param("severity", "high").param("days", "20"),
                "select count(*) from sla_policy where severity = 'high' and days = 20");

        final String setup;
        final Function<Context, MockHttpServletRequestBuilder> request;
        final String effect;

        Action(String setup, Function<Context, MockHttpServletRequestBuilder> request, String effect) {
            this.setup = setup;
            this.request = request;
            this.effect = effect;
        }

        boolean allowedFor(Who who) {
            switch (this) {
                case APPROVE:
                case REJECT:
                case SET_SLA:
                    return who == Who.SECURITY;
                default:
                    return who.changesCheckout();
            }
        }
    }

    record Context(long finding, Long acceptance) {
    }

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
    }

    static List<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (Action action : Action.values()) {
            for (Who who : Who.values()) {
                cases.add(Arguments.of(action, who, action.allowedFor(who)));
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0} by {1}: allowed={2}")
    @MethodSource("matrix")
    void everyActionIsCheckedAgainstTheFindingsService(Action action, Who who, boolean allowed) throws Exception {
        Context ctx = prepare(CHECKOUT_API, action);
        int before = count(action.effect);
        int auditBefore = count("select count(*) from audit_log");

        var result = mvc.perform(action.request.apply(ctx).with(who.login()).with(csrf()));

        if (allowed) {
            result.andExpect(status().isFound());
            assertThat(count(action.effect)).as("effect of " + action).isEqualTo(before + 1);
            assertThat(count("select count(*) from audit_log")).isGreaterThan(auditBefore);
        } else {
            result.andExpect(status().isForbidden()).andExpect(content().string(Matchers.containsString("id=\"problem\"")));
            assertThat(count(action.effect)).as("no effect of " + action).isEqualTo(before);
            assertThat(count("select count(*) from audit_log")).isEqualTo(auditBefore);
        }
    }

    @Test
    void theReasonIsGivenWithEveryRefusal() throws Exception {
        Context ctx = prepare(CHECKOUT_API, Action.START);
        mvc.perform(post("/findings/{id}/start", ctx.finding).with(Who.OTHER_TEAM_OWNER.login()).with(csrf()))
                .andExpect(status().isForbidden())
                .andExpect(content().string(Matchers.containsString("Only members of team checkout (which owns checkout-api), "
                        + "SECURITY or ADMIN can change finding " + ctx.finding)));
        mvc.perform(post("/findings/{id}/start", ctx.finding).with(Who.EXECUTIVE.login()).with(csrf()))
                .andExpect(status().isForbidden());
        mvc.perform(post("/findings/sla").param("severity", "high").param("days", "20").with(Who.ADMIN.login()).with(csrf()))
                .andExpect(status().isForbidden())
                .andExpect(content().string(Matchers.containsString("Only a SECURITY user can change the SLA policy")));
    }

    @Test
    void aServiceWithoutAnOwningTeamIsChangedOnlyBySecurityOrAdmin() throws Exception {
        Context ctx = prepare(ORPHAN, Action.START);
        mvc.perform(post("/findings/{id}/start", ctx.finding).with(Who.OWN_TEAM_OWNER.login()).with(csrf()))
                .andExpect(status().isForbidden())
                .andExpect(content().string(Matchers.containsString("service orphan-service has no owning team")));
        mvc.perform(post("/findings/{id}/start", ctx.finding).with(Who.SECURITY.login()).with(csrf()))
                .andExpect(status().isFound());
        assertThat(count("select count(*) from finding where status = 'in_progress' and assignee = 'sam'")).isEqualTo(1);
    }

    @Test
    void withoutTheCsrfTokenNothingChanges() throws Exception {
        Context ctx = prepare(CHECKOUT_API, Action.START);
        mvc.perform(post("/findings/{id}/start", ctx.finding).with(Who.OWN_TEAM_OWNER.login())).andExpect(status().isForbidden());
        assertThat(count(Action.START.effect)).isZero();
    }

    @Test
    void bulkActionsChangeOnlyWhatTheUserMayChangeAndSayWhatWasRefused() throws Exception {
        seed(intake, CHECKOUT_API, "CVE-2026-0001", Severity.HIGH, NOW.minus(Duration.ofDays(3)), null);
        seed(intake, FindingsTestData.LEDGER, "CVE-2026-0002", Severity.HIGH, NOW.minus(Duration.ofDays(3)), null);
        long mine = id("CVE-2026-0001");
        long theirs = id("CVE-2026-0002");

        mvc.perform(post("/findings/bulk").with(Who.OWN_TEAM_RESPONDER.login()).with(csrf())
                        .param("ids", Long.toString(mine), Long.toString(theirs)).param("action", "start")
                        .param("returnTo", "/my-services/queue?severity=high"))
                .andExpect(status().isFound())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl("/my-services/queue?severity=high"))
                .andExpect(flash().attribute("message", "Started: 1 finding."))
                .andExpect(flash().attribute("error", "1 not changed — #" + theirs
                        + ": Only members of team ledger (which owns ledger-service), SECURITY or ADMIN can change finding " + theirs));

        assertThat(jdbc.queryForList("select rule_id || '|' || status || '|' || coalesce(assignee, '-') from finding order by id",
                String.class)).containsExactly("CVE-2026-0001|in_progress|rita", "CVE-2026-0002|open|-");

        // A foreign return address is not followed.
        mvc.perform(post("/findings/bulk").with(Who.SECURITY.login()).with(csrf()).param("ids", Long.toString(theirs))
                        .param("action", "assign-to-me").param("returnTo", "https://evil.example/"))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl("/my-services/queue"));
        // An executive's bulk request is refused outright.
        mvc.perform(post("/findings/bulk").with(Who.EXECUTIVE.login()).with(csrf()).param("ids", Long.toString(theirs))
                        .param("action", "assign-to-me"))
                .andExpect(status().isForbidden());
        assertThat(count("select count(*) from finding where assignee = 'eve'")).isZero();
    }

    @Test
    void anotherTeamsFindingsAreNotShownToOwnersButToExecutivesWithoutActions() throws Exception {
        Context ctx = prepare(CHECKOUT_API, Action.START);
        mvc.perform(get("/findings/{id}", ctx.finding).with(Who.OTHER_TEAM_RESPONDER.login()))
                .andExpect(status().isForbidden())
                .andExpect(content().string(Matchers.containsString("belongs to a service none of your teams owns")));
        mvc.perform(get("/api/v1/findings/{id}", ctx.finding).with(Who.OTHER_TEAM_OWNER.login()))
                .andExpect(status().isForbidden());
        mvc.perform(get("/api/v1/findings").with(Who.OTHER_TEAM_OWNER.login()))
                .andExpect(status().isOk()).andExpect(content().string(Matchers.containsString("\"total\":0")));
        mvc.perform(get("/findings/{id}", ctx.finding).with(Who.EXECUTIVE.login()))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("only its owning team, SECURITY or ADMIN change it")))
                .andExpect(content().string(Matchers.not(Matchers.containsString("id=\"start\""))));
        mvc.perform(get("/findings/{id}", ctx.finding).with(Who.OWN_TEAM_RESPONDER.login()))
                .andExpect(status().isOk()).andExpect(content().string(Matchers.containsString("id=\"start\"")));
    }

    private Context prepare(String service, Action action) {
        seed(intake, service, "CVE-2026-4242", Severity.HIGH, NOW.minus(Duration.ofDays(3)), null);
        long finding = id("CVE-2026-4242");
        Long acceptance = null;
        if ("pending".equals(action.setup)) {
            jdbc.update("insert into risk_acceptance (finding_id, status, justification, expires_at, requested_by, requested_at)"
                    + " values (?, 'pending', 'Compensating control in place', ?, 'olivia', ?)", finding,
                    java.sql.Timestamp.from(NOW.plus(Duration.ofDays(30))), java.sql.Timestamp.from(NOW));
            acceptance = jdbc.queryForObject("select id from risk_acceptance", Long.class);
        } else if (action.setup != null) {
            jdbc.update(action.setup);
        }
        return new Context(finding, acceptance);
    }

    private long id(String ruleId) {
        return jdbc.queryForObject("select id from finding where rule_id = ?", Long.class, ruleId);
    }

    private int count(String sql) {
        return jdbc.queryForObject(sql, Integer.class);
    }
}

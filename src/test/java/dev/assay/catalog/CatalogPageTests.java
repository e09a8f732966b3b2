package dev.assay.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

import dev.assay.AssayIntegrationTest;
import dev.assay.DatabaseCleaner;
import dev.assay.collect.CollectionLauncher;
import dev.assay.collect.CollectionRuns;
import dev.assay.collect.JobExecutions;

/**
 * The catalog pages over the test catalog, and the object-level rule: only the owning team (or
 * ADMIN / SECURITY) changes a service. alice is a member of team-a (Group members in org.yaml).
 */
@AssayIntegrationTest
class CatalogPageTests {

    @Autowired MockMvc mvc;
    @Autowired CollectionLauncher launcher;
    @Autowired JobExecutions executions;
    @Autowired DataSource dataSource;
    @Autowired dev.assay.metrics.MetricsRollupRunner rollups;

    JdbcTemplate jdbc;

    @BeforeEach
    void importTestCatalog() {
        new DatabaseCleaner(dataSource).cleanAll();
        CollectionRuns.collectAndWait(launcher, executions, "test-catalog");
        jdbc = new JdbcTemplate(dataSource);
    }

    @Test
    void teamsPageShowsTeamsCoverageAndGaps() throws Exception {
        mvc.perform(get("/teams").with(user("exec").roles("EXECUTIVE")))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("<a href=\"/teams/team-a\">Team A</a>")))
                .andExpect(content().string(containsString(">50.0%<")))
                .andExpect(content().string(containsString("no escalation contact or on-call rotation")));
    }

    @Test
    void teamAndServicePagesShowOwnershipEvidence() throws Exception {
        mvc.perform(get("/teams/team-a").with(user("exec").roles("EXECUTIVE")))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("<a href=\"/services/artist-lookup\">artist-lookup</a>")))
                .andExpect(content().string(containsString("alice")));
        mvc.perform(get("/services/scorecard").with(user("exec").roles("EXECUTIVE")))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("(from CODEOWNERS: the catalog's owner is not a known team)")))
                .andExpect(content().string(containsString("@ossf/scorecard-maintainers")))
                .andExpect(content().string(not(containsString("id=\"contact\""))));
        mvc.perform(get("/services/nope").with(user("exec").roles("EXECUTIVE"))).andExpect(status().isNotFound());
    }

    @Test
    void anOwnerChangesTheirOwnServiceOnly() throws Exception {
        mvc.perform(post("/services/artist-lookup/escalation").param("contact", "#team-a-oncall")
                        .with(user("alice").roles("SERVICE_OWNER")).with(csrf()))
                .andExpect(status().isFound())
                .andExpect(redirectedUrl("/services/artist-lookup"));
        assertThat(escalationOf("artist-lookup")).isEqualTo("#team-a-oncall");
        assertThat(jdbc.queryForObject("select count(*) from audit_log where action = 'service.escalation-set' and actor = 'alice'",
                Integer.class)).isEqualTo(1);

        mvc.perform(post("/services/scorecard/escalation").param("contact", "hijack@example.com")
                        .with(user("alice").roles("SERVICE_OWNER")).with(csrf()))
                .andExpect(status().isForbidden());
        mvc.perform(post("/services/artist-lookup/escalation").param("contact", "exec@example.com")
                        .with(user("exec").roles("EXECUTIVE")).with(csrf()))
                .andExpect(status().isForbidden());
        mvc.perform(post("/services/scorecard/escalation").param("contact", "security@example.com")
                        .with(user("sec").roles("SECURITY")).with(csrf()))
                .andExpect(status().isFound());
        assertThat(escalationOf("scorecard")).isEqualTo("security@example.com");
        assertThat(escalationOf("artist-lookup")).isEqualTo("#team-a-oncall");
    }

    @Test
    void changesWithoutTheCsrfTokenAreRefused() throws Exception {
        mvc.perform(post("/services/artist-lookup/escalation").param("contact", "#x")
                        .with(user("alice").roles("SERVICE_OWNER")))
                .andExpect(status().isForbidden());
        assertThat(escalationOf("artist-lookup")).isNull();
    }

    @Test
    void markupInAContactIsRefused() throws Exception {
        mvc.perform(post("/services/artist-lookup/escalation").param("contact", "<script>alert(1)</script>")
                        .with(user("alice").roles("SERVICE_OWNER")).with(csrf()))
                .andExpect(status().isFound());
        assertThat(escalationOf("artist-lookup")).isNull();
    }

    @Test
    void myServicesListsTheServicesOfTheUsersTeams() throws Exception {
        mvc.perform(get("/my-services").with(user("alice").roles("SERVICE_OWNER")))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("<a href=\"/services/artist-lookup\">artist-lookup</a>")))
                .andExpect(content().string(not(containsString("/services/scorecard\""))));
    }

    @Test
    void dashboardShowsOwnershipFromTheRollups() throws Exception {
        mvc.perform(get("/").with(user("exec").roles("EXECUTIVE")))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("id=\"ownership-coverage\"><span>n/a</span>")));
        CollectionRuns.waitFor(executions, rollups.launch("test"));
        mvc.perform(get("/").with(user("exec").roles("EXECUTIVE")))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("id=\"ownership-coverage\"><span>50.0%</span>")));
    }

    private String escalationOf(String service) {
        return jdbc.queryForObject("select manual_escalation from service where name = ?", String.class, service);
    }
}

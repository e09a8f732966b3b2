package dev.assay.catalog;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;

import dev.assay.AssayIntegrationTest;
import dev.assay.DatabaseCleaner;
import dev.assay.collect.CollectionLauncher;
import dev.assay.collect.CollectionRuns;
import dev.assay.collect.JobExecutions;

/** {@code /api/v1/services}, {@code /api/v1/teams} and {@code /api/v1/metrics/ownership-coverage} over the test catalog. */
@AssayIntegrationTest
@WithMockUser(username = "viewer", roles = "EXECUTIVE")
class CatalogApiTests {

    @Autowired MockMvc mvc;
    @Autowired CollectionLauncher launcher;
    @Autowired JobExecutions executions;
    @Autowired DataSource dataSource;

    @BeforeEach
    void importTestCatalog() {
        new DatabaseCleaner(dataSource).cleanAll();
        CollectionRuns.collectAndWait(launcher, executions, "test-catalog");
    }

    @Test
    void servicesArePagedWithSnakeCaseFields() throws Exception {
        mvc.perform(get("/api/v1/services").param("size", "2"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.total").value(3))
                .andExpect(jsonPath("$.page").value(0))
                .andExpect(jsonPath("$.size").value(2))
                .andExpect(jsonPath("$.items.length()").value(2))
                .andExpect(jsonPath("$.items[0].name").value("artist-lookup"))
                .andExpect(jsonPath("$.items[0].owning_team").value("team-a"))
                .andExpect(jsonPath("$.items[0].owned").value(false));
        mvc.perform(get("/api/v1/services").param("page", "1").param("size", "2"))
                .andExpect(jsonPath("$.items.length()").value(1))
                .andExpect(jsonPath("$.items[0].name").value("scorecard"))
                .andExpect(jsonPath("$.items[0].owner_evidence").value("codeowners"))
                .andExpect(jsonPath("$.items[0].escalation_contact").value("PagerDuty service PSCORE1"))
                .andExpect(jsonPath("$.items[0].artifact_repositories[0]").value("gcr.io/openssf/scorecard"));
    }

    @Test
    void servicesFilterByOwningTeamAndService() throws Exception {
        mvc.perform(get("/api/v1/services").param("team", "scorecard-maintainers"))
                .andExpect(jsonPath("$.total").value(1))
                .andExpect(jsonPath("$.items[0].name").value("scorecard"));
        mvc.perform(get("/api/v1/services").param("service", "nope"))
                .andExpect(jsonPath("$.total").value(0));
    }

    @Test
    void badPagingIsA400WithAMessage() throws Exception {
        mvc.perform(get("/api/v1/services").param("size", "501"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("size must be between 1 and 500, was 501"));
        mvc.perform(get("/api/v1/services").param("page", "x"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("Failed to convert 'page' with value: 'x'"));
    }

    @Test
    void csvVariantsBySuffixAndAcceptHeader() throws Exception {
        mvc.perform(get("/api/v1/services.csv"))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Type", startsWith("text/csv")))
                .andExpect(content().string(startsWith("name,title,component_type,tier,lifecycle,declared_owner,owning_team,")))
                .andExpect(content().string(containsString("\r\nscorecard,,service,1,production,unknown-team,scorecard-maintainers,codeowners,,PagerDuty service PSCORE1,true,github:ossf/scorecard,gcr.io/openssf/scorecard\r\n")));
        mvc.perform(get("/api/v1/teams").header("Accept", "text/csv"))
                .andExpect(content().string("name,title,email,parent,service_count,member_count,ownership_numerator,ownership_denominator\r\n"
                        + "scorecard-maintainers,,,,1,1,1,1\r\n"
                        + "team-a,Team A,team-a@example.com,,1,1,0,1\r\n"
                        + "team-b,,,,0,0,0,0\r\n"));
    }

    @Test
    void ownershipCoverageMetric() throws Exception {
        mvc.perform(get("/api/v1/metrics/ownership-coverage"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.metric").value("ownership-coverage"))
                .andExpect(jsonPath("$.window").value("P90D"))
                .andExpect(jsonPath("$.numerator").value(1))
                .andExpect(jsonPath("$.denominator").value(2))
                .andExpect(jsonPath("$.ratio").value(0.5));
        mvc.perform(get("/api/v1/metrics/ownership-coverage").param("team", "team-a"))
                .andExpect(jsonPath("$.numerator").value(0))
                .andExpect(jsonPath("$.denominator").value(1))
                .andExpect(jsonPath("$.ratio").value(0.0));
        mvc.perform(get("/api/v1/metrics/ownership-coverage").param("team", "team-b"))
                .andExpect(jsonPath("$.denominator").value(0))
                .andExpect(jsonPath("$.ratio").isEmpty());
        mvc.perform(get("/api/v1/metrics/ownership-coverage").param("window", "90 days"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("window '90 days' is not an ISO-8601 duration such as P90D"));
        mvc.perform(get("/api/v1/metrics/signed-coverage"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.denominator").value(0))
                .andExpect(jsonPath("$.ratio").isEmpty());
        mvc.perform(get("/api/v1/metrics/happiness"))
                .andExpect(status().isNotFound());
    }
}

package dev.assay.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

import dev.assay.collect.CollectionLauncher;
import dev.assay.collect.CollectionRuns;
import dev.assay.collect.JobExecutions;
import dev.assay.findings.FindingsIntake;
import dev.assay.incidents.Durations;
import dev.assay.playbooks.MutableClock;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboard, its CSV, the drill-down and the executive report show the figures
 * {@code /api/v1/metrics} computes, on the generated dataset of {@link MetricsTestData}; who may
 * see them; and the data freshness line with its stale warning.
 */
@MetricsIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardPageTests {

    @Autowired MockMvc mvc;
    @Autowired DataSource dataSource;
    @Autowired CollectionLauncher launcher;
    @Autowired JobExecutions executions;
    @Autowired FindingsIntake intake;
    @Autowired MutableClock clock;
    @Autowired MetricsRollupRunner runner;

    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeAll
    void dataset() throws Exception {
        clock.set(MetricsTestData.NOW);
        MetricsTestData.build(dataSource, launcher, executions, mvc, intake);
        assertThat(CollectionRuns.waitFor(executions, runner.launch("test")).status()).isEqualTo("COMPLETED");
    }

    @AfterEach
    void resetClock() {
        clock.set(MetricsTestData.NOW);
    }

    @Test
    void anonymousIsSentToLoginAndAnExecutiveSeesTheDashboard() throws Exception {
        mvc.perform(get("/")).andExpect(status().isFound()).andExpect(redirectedUrl("/login"));
        mvc.perform(get("/dashboard/teams.csv")).andExpect(status().isFound()).andExpect(redirectedUrl("/login"));
        mvc.perform(get("/reports/executive")).andExpect(status().isFound()).andExpect(redirectedUrl("/login"));
        mvc.perform(get("/").with(user("exec").roles("EXECUTIVE"))).andExpect(status().isOk());
        mvc.perform(get("/reports/executive").with(user("exec").roles("EXECUTIVE"))).andExpect(status().isOk());
    }

    @Test
    void tilesShowTheApiFiguresForEachWindowAndTeam() throws Exception {
        for (String window : List.of("P7D", "P30D", "P90D")) {
            for (String team : new String[] {null, "checkout", "ledger"}) {
                String query = "?window=" + window + (team == null ? "" : "&team=" + team);
                String page = page("/" + query);
                String scope = window + " " + team;
                for (String metric : List.of("mttd", "mttr")) {
                    JsonNode api = api(metric, window, team);
                    String median = api.get("median_s").isNull() ? "n/a" : Durations.spellSeconds(api.get("median_s").asDouble());
                    assertThat(page).as(scope + " " + metric)
                            .contains("id=\"" + metric + "\"><span>" + median + "</span>")
                            .contains("n = " + api.get("n").asInt() + " incidents");
                    assertThat(page).contains("id=\"" + metric + "-change\">Change: " + api.get("comparison").get("label").asString());
                }
                for (String metric : List.of("signed-coverage", "scanned-coverage", "sbom-coverage", "provenance-coverage",
                        "sla-compliance", "ownership-coverage", "drill-coverage")) {
                    JsonNode api = api(metric, window, team);
                    assertThat(page).as(scope + " " + metric)
                            .contains("id=\"" + metric + "\"><span>" + percent(api) + "</span>")
                            .contains(api.get("numerator").asLong() + " of " + api.get("denominator").asLong() + ".");
                }
            }
        }
    }

    @Test
    void theLeagueTableIsSortedWorstFirstWithTextRatingsAndItsCsvHasTheApiFigures() throws Exception {
        String page = page("/?window=P90D&sort=sla");
        JsonNode checkout = api("sla-compliance", "P90D", "checkout");
        JsonNode ledger = api("sla-compliance", "P90D", "ledger");
        double checkoutRatio = checkout.get("ratio").asDouble();
        double ledgerRatio = ledger.get("ratio").asDouble();
        String worse = checkoutRatio <= ledgerRatio ? "Checkout" : "ledger";
        String better = worse.equals("Checkout") ? "ledger" : "Checkout";
        assertThat(page.indexOf("team=" + worse.toLowerCase(Locale.ROOT) + "\">" + worse + "</a>"))
                .isLessThan(page.indexOf("team=" + better.toLowerCase(Locale.ROOT) + "\">" + better + "</a>"));
        assertThat(page).containsPattern("rating-(good|fair|poor)\">\\s*<span>[0-9.]+%</span> <span class=\"rating-word\">\\((good|fair|poor)\\)");
        String csv = mvc.perform(get("/dashboard/teams.csv?window=P90D").with(user("exec").roles("EXECUTIVE")))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Disposition", "attachment; filename=\"teams.csv\""))
                .andReturn().getResponse().getContentAsString();
        List<String> lines = csv.lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("team,title,mttr_median_s,signed_coverage,scanned_coverage,sla_compliance,"
                + "overdue_criticals,ownership_coverage,drill_coverage");
        String checkoutLine = lines.stream().filter(l -> l.startsWith("checkout,")).findFirst().orElseThrow();
        assertThat(checkoutLine.split(",")[5]).isEqualTo(String.valueOf(checkoutRatio));
        assertThat(checkoutLine.split(",")[2]).isEqualTo(String.valueOf(api("mttr", "P90D", "checkout").get("median_s").asDouble()));
        mvc.perform(get("/?sort=nonsense").with(user("exec").roles("EXECUTIVE"))).andExpect(status().isBadRequest())
                .andExpect(content().string(containsString("sort &#39;nonsense&#39; is not one of")));
        mvc.perform(get("/?window=P1D").with(user("exec").roles("EXECUTIVE"))).andExpect(status().isBadRequest())
                .andExpect(content().string(containsString("window &#39;P1D&#39; is not one of the rolled-up windows [P7D, P30D, P90D]")));
        mvc.perform(get("/?team=nobody").with(user("exec").roles("EXECUTIVE"))).andExpect(status().isBadRequest())
                .andExpect(content().string(containsString("No team named &#39;nobody&#39;")));
        // Two teams: fewer than the 25 worst the page shows, so no "show all" link; league=all shows the same two.
        assertThat(page).contains("(all <span>2</span> teams)").doesNotContain("id=\"league-all\"");
        String all = page("/?window=P90D&sort=sla&league=all");
        assertThat(all).contains("team=checkout\">Checkout</a>").contains("team=ledger\">ledger</a>")
                .contains("href=\"/?window=P90D&amp;sort=mttr&amp;league=all\"");
        mvc.perform(get("/?league=some").with(user("exec").roles("EXECUTIVE"))).andExpect(status().isBadRequest())
                .andExpect(content().string(containsString("league &#39;some&#39; is not &#39;all&#39;")));
    }

    @Test
    void drillDownGoesFromTheOrganisationToATeamToAService() throws Exception {
        String team = page("/?window=P30D&team=checkout");
        assertThat(team).contains("id=\"services\"")
                .contains("href=\"/?window=P30D&amp;team=checkout&amp;service=checkout-api\"")
                .contains("href=\"/services/checkout-api\"")
                .doesNotContain("service=ledger-service");
        String service = page("/?window=P30D&team=checkout&service=checkout-api");
        JsonNode mttr = api("mttr", "P30D", null, "checkout-api");
        assertThat(service).contains("id=\"mttr\"><span>" + (mttr.get("median_s").isNull() ? "n/a"
                : Durations.spellSeconds(mttr.get("median_s").asDouble())) + "</span>");
        String csv = mvc.perform(get("/dashboard.csv?window=P30D&service=checkout-api").with(user("exec").roles("EXECUTIVE")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(csv.lines().count()).isEqualTo(11);
        assertThat(csv.lines().filter(l -> l.startsWith("mttr,")).findFirst().orElseThrow())
                .contains(",P30D,,checkout-api," + (mttr.get("median_s").isNull() ? "" : mttr.get("median_s").asDouble()) + ",");
    }

    @Test
    void trendsAreAccessibleSvgWithADataTable() throws Exception {
        String page = page("/?window=P90D");
        assertThat(page).contains("<svg role=\"img\" xmlns=\"http://www.w3.org/2000/svg\" class=\"trend-chart\" aria-labelledby=\"trend-mttr-title\" viewBox=\"0 0 240 80\"")
                .contains("<title id=\"trend-mttr-title\">MTTR (median time to restore), weekly median, last 12 weeks</title>")
                .contains("<caption>MTTR (median time to restore), weekly median, last 12 weeks</caption>")
                .contains("href=\"/definitions#mttr\"");
        assertThat(page.split("<th scope=\"row\">20", -1).length - 1).isEqualTo(10 * 12);
    }

    @Test
    void theExecutiveReportHasTheSummaryRisksAndTeams() throws Exception {
        String report = page("/reports/executive?window=P90D");
        JsonNode sla = api("sla-compliance", "P90D", null);
        assertThat(report).contains("id=\"report-sla-compliance\"><span>" + percent(sla) + "</span>")
                .contains("Period summary").contains("Top risks").contains("Teams needing attention")
                .contains("/dashboard/services.csv?window=P90D&amp;sort=overdue");
    }

    @Test
    void everyPageSaysWhenDataWasCollectedAndWarnsOfAStaleSource() throws Exception {
        assertThat(page("/teams")).contains("Data last collected").contains("from metrics-catalog.")
                .doesNotContain("Stale:");
        // metrics-catalog runs @daily: three days without a collection is more than twice its interval.
        clock.set(Instant.now().plus(Duration.ofDays(3)));
        assertThat(page("/findings")).contains("Stale: source metrics-catalog was last collected at")
                .contains("more than twice its schedule interval (PT24H) ago.");
        mvc.perform(get("/api/v1/metrics/mttr").with(user("exec").roles("EXECUTIVE")))
                .andExpect(content().string(not(containsString("Stale"))));
    }

    private String page(String path) throws Exception {
        return mvc.perform(get(path).with(user("exec").roles("EXECUTIVE"))).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
    }

    private JsonNode api(String metric, String window, String team) throws Exception {
        return api(metric, window, team, null);
    }

    private JsonNode api(String metric, String window, String team, String service) throws Exception {
        String query = "?window=" + window + (team == null ? "" : "&team=" + team) + (service == null ? "" : "&service=" + service);
        return json.readTree(mvc.perform(get("/api/v1/metrics/" + metric + query).with(user("exec").roles("EXECUTIVE")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
    }

    private static String percent(JsonNode api) {
        return api.get("ratio").isNull() ? "n/a" : String.format(Locale.ROOT, "%.1f%%", api.get("ratio").asDouble() * 100);
    }
}

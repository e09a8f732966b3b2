package dev.assay.builds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Build anomalies end to end: pushed runs of octo-org/octo-repo (octo-service) with the hand-computed
 * history of DurationAnomalyRuleTests (median 300 s, MAD 7.5 s), then one run of 400 s (anomalous:
 * score 8.99) and one of 330 s (not: with the 400 s run in the history the MAD is 10, score 2.02).
 * The anomaly is stored and becomes a medium policy finding of the service.
 */
class BuildAnomalyTests extends BuildsTestSupport {

    static final Instant START = Instant.parse("2020-01-10T00:00:00Z");
    static final long[] HISTORY = {300, 310, 290, 305, 295, 300, 320, 280, 300, 310};

    @Autowired MockMvc mvc;

    @Test
    void aRunFarOutsideTheHistoryIsStoredAsAnomalyAndReportedAsAFinding() throws Exception {
        for (int i = 0; i < HISTORY.length; i++) {
            push(2000 + i, START.plusSeconds(3600L * i), HISTORY[i]);
        }
        assertThat(count("select count(*) from build_anomaly")).isZero();

        push(2010, START.plusSeconds(3600L * 10), 400);
        push(2011, START.plusSeconds(3600L * 11), 330);

        assertThat(count("select count(*) from pipeline_run")).isEqualTo(12);
        Map<String, Object> anomaly = jdbc.queryForMap("select r.external_id, a.duration_s, a.median_s, a.mad_s, a.score,"
                + " a.history_size from build_anomaly a join pipeline_run r on r.id = a.run_id");
        assertThat(anomaly).containsEntry("external_id", "2010").containsEntry("duration_s", 400L)
                .containsEntry("median_s", 300.0).containsEntry("mad_s", 7.5).containsEntry("history_size", 10);
        assertThat((Double) anomaly.get("score")).isBetween(8.993, 8.994);
        List<Map<String, Object>> findings = jdbc.queryForList("select service_name, rule_id, subject, severity, title, detail"
                + " from finding");
        assertThat(findings).hasSize(1);
        assertThat(findings.get(0)).containsEntry("service_name", "octo-service").containsEntry("rule_id", "build-anomaly")
                .containsEntry("subject", "github-actions:octo-org/octo-repo:2010#1").containsEntry("severity", "medium")
                .containsEntry("title", "Build duration anomaly: Build of octo-org/octo-repo took 400 s")
                .containsEntry("detail", "github-actions run #2010 (attempt 1, Build of octo-org/octo-repo) took 400 s, longer"
                        + " than the median of 300 s of the 10 previous successful runs (MAD 7.5 s, robust z-score 9.0 > 3.5)."
                        + " https://github.com/octo-org/octo-repo/actions/runs/2010");

        // The same run pushed again changes nothing and raises nothing new.
        push(2010, START.plusSeconds(3600L * 10), 400);
        assertThat(count("select count(*) from build_anomaly")).isEqualTo(1);
        assertThat(count("select count(*) from finding")).isEqualTo(1);
    }

    private void push(long id, Instant created, long durationS) throws Exception {
        mvc.perform(post("/api/v1/ingest/pipeline-run").with(user("ci").roles("ADMIN")).with(csrf())
                .contentType(MediaType.APPLICATION_JSON)
                .content(CiGenerated.githubRun("octo-org/octo-repo", id, created, durationS, "completed", "success")))
                .andExpect(status().isAccepted());
    }
}

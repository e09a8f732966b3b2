package dev.assay.builds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.EnumSet;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import dev.assay.security.ApiScope;
import dev.assay.security.internal.ApiTokens;

/**
 * Push ingestion of the three formats ({@code POST /api/v1/ingest/pipeline-run}), the list API with
 * its filters and CSV, the service's builds page and the unmapped runs page, with who may see them.
 */
class PipelineRunApiTests extends BuildsTestSupport {

    static final RequestPostProcessor PUSHER = user("ci").roles("ADMIN");
    static final RequestPostProcessor MEMBER = user("alice").roles("SERVICE_OWNER");

    @Autowired MockMvc mvc;
    @Autowired ApiTokens tokens;

    @Test
    void theThreeFormatsArePushedDetectedMappedAndListed() throws Exception {
        pushThreeSamples();

        assertThat(count("select count(*) from pipeline_run")).isEqualTo(3);
        assertThat(jdbc.queryForList("select source_id || ' ' || external_id || ' ' || status || ' ' || coalesce(conclusion, '-')"
                + " from pipeline_run order by source_id", String.class)).containsExactly(
                        "ingest:github-actions 30433642 queued -",
                        "ingest:gitlab-ci 287 completed success",
                        "ingest:jenkins fish#10 completed success");
        mvc.perform(get("/api/v1/pipeline-runs").with(MEMBER))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.total").value(3)).andExpect(jsonPath("$.page").value(0))
                .andExpect(jsonPath("$.size").value(50))
                .andExpect(jsonPath("$.items[0].external_id").value("287"))
                .andExpect(jsonPath("$.items[0].duration_s").value(34))
                .andExpect(jsonPath("$.items[0].services[0]").value("test-project-service"))
                .andExpect(jsonPath("$.items[2].repository").value("fish"));
        // A pushed GitHub run names its repository itself: the sample's repository object is octocat/Hello-World.
        mvc.perform(get("/api/v1/pipeline-runs").param("source", "ingest:github-actions").with(MEMBER))
                .andExpect(jsonPath("$.total").value(1)).andExpect(jsonPath("$.items[0].commit_sha")
                        .value("acb5820ced9479c074f688cc328bf03f341a511d"))
                .andExpect(jsonPath("$.items[0].repository").value("octocat/Hello-World"))
                .andExpect(jsonPath("$.items[0].services").isEmpty());
        mvc.perform(get("/api/v1/pipeline-runs").param("service", "fish-service").with(MEMBER))
                .andExpect(jsonPath("$.total").value(1));
        mvc.perform(get("/api/v1/pipeline-runs").param("status", "success").with(MEMBER))
                .andExpect(jsonPath("$.total").value(2));
        mvc.perform(get("/api/v1/pipeline-runs").param("source", "ingest:jenkins").param("team", "payments").with(MEMBER))
                .andExpect(jsonPath("$.total").value(1));
        mvc.perform(get("/api/v1/pipeline-runs").param("branch", "master").with(MEMBER))
                .andExpect(jsonPath("$.total").value(1));
        mvc.perform(get("/api/v1/pipeline-runs.csv").with(MEMBER))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("id,source,system,repository,workflow,external_id,attempt")))
                .andExpect(content().string(containsString(",ingest:jenkins,jenkins,fish,fish,fish#10,1,10,")));
    }

    @Test
    void pushingTheSameRunAgainChangesNothing() throws Exception {
        pushThreeSamples();
        var before = jdbc.queryForList("select id, updated_at from pipeline_run order by id");

        pushThreeSamples();

        assertThat(jdbc.queryForList("select id, updated_at from pipeline_run order by id")).isEqualTo(before);
    }

    @Test
    void badPushesAnswerClearlyAndAreQuarantined() throws Exception {
        mvc.perform(post("/api/v1/ingest/pipeline-run").with(PUSHER).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"hello\": \"world\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("the document is not a GitHub workflow run, a GitLab pipeline or a"
                        + " Jenkins build; name the format with ?format=github-actions|gitlab-ci|jenkins"));
        mvc.perform(post("/api/v1/ingest/pipeline-run").with(PUSHER).with(csrf()).param("format", "travis")
                        .contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("format 'travis' is not one of [github-actions, gitlab-ci, jenkins]"));
        mvc.perform(post("/api/v1/ingest/pipeline-run").with(PUSHER).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"id\": 1, \"run_attempt\": 1, \"status\": \"completed\", \"created_at\": \"2024-05-01 10:00\","
                                + " \"repository\": {\"full_name\": \"a/b\"}}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("created_at '2024-05-01 10:00' is not an ISO-8601 timestamp with a"
                        + " time-zone offset"));
        mvc.perform(post("/api/v1/ingest/pipeline-run").with(PUSHER).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"id\": "))
                .andExpect(status().isBadRequest());
        mvc.perform(post("/api/v1/ingest/pipeline-run").with(PUSHER).with(csrf()).contentType(MediaType.IMAGE_PNG)
                        .content(new byte[] {1, 2}))
                .andExpect(status().isUnsupportedMediaType());
        assertThat(count("select count(*) from quarantine where source_id = 'ingest:pipeline-run'")).isEqualTo(4);
        assertThat(count("select count(*) from pipeline_run")).isZero();
    }

    @Test
    void onlyCallersThatMayReadSeeRunsAndOnlyIngestTokensPush() throws Exception {
        String read = tokens.create("builds-read", EnumSet.of(ApiScope.READ), null, "test").secret();
        String ingest = tokens.create("builds-ingest", EnumSet.of(ApiScope.INGEST), null, "test").secret();

        mvc.perform(get("/api/v1/pipeline-runs")).andExpect(status().isUnauthorized());
        mvc.perform(get("/api/v1/pipeline-runs").header("Authorization", "Bearer " + read)).andExpect(status().isOk());
        mvc.perform(get("/api/v1/pipeline-runs").header("Authorization", "Bearer " + ingest)).andExpect(status().isForbidden());
        mvc.perform(post("/api/v1/ingest/pipeline-run").header("Authorization", "Bearer " + read)
                .contentType(MediaType.APPLICATION_JSON).content(fixture("jenkins-build-api-json-with-git-changeset.json")))
                .andExpect(status().isForbidden());
        mvc.perform(post("/api/v1/ingest/pipeline-run").header("Authorization", "Bearer " + ingest)
                .contentType(MediaType.APPLICATION_JSON).content(fixture("jenkins-build-api-json-with-git-changeset.json")))
                .andExpect(status().isAccepted()).andExpect(jsonPath("$.kind").value("pipeline-run"));
        assertThat(count("select count(*) from pipeline_run")).isEqualTo(1);
    }

    @Test
    void theServicePageShowsRunsSuccessRateAndTrendEscaped() throws Exception {
        pushThreeSamples();
        // A run whose collected text tries to inject markup is shown as text.
        mvc.perform(post("/api/v1/ingest/pipeline-run").with(PUSHER).with(csrf()).param("format", "jenkins")
                .contentType(MediaType.APPLICATION_JSON).content("{\"number\": 11, \"result\": \"FAILURE\", \"timestamp\": 1461091992486,"
                        + " \"duration\": 30000, \"building\": false, \"url\": \"javascript:alert(1)//job/fish/11/\","
                        + " \"actions\": [{\"causes\": [{\"userId\": \"<script>alert(1)</script>\"}]}]}"))
                .andExpect(status().isBadRequest());
        mvc.perform(post("/api/v1/ingest/pipeline-run").with(PUSHER).with(csrf()).param("format", "jenkins")
                .contentType(MediaType.APPLICATION_JSON).content("{\"number\": 11, \"result\": \"FAILURE\", \"timestamp\": 1461091992486,"
                        + " \"duration\": 30000, \"building\": false, \"url\": \"http://localhost:32769/job/fish/11/\","
                        + " \"actions\": [{\"causes\": [{\"userId\": \"<script>alert(1)</script>\"}]}]}"))
                .andExpect(status().isAccepted());

        mvc.perform(get("/services/fish-service/builds").with(MEMBER))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("<p class=\"figure-value\" id=\"success-rate\">50.0%</p>")))
                .andExpect(content().string(containsString("1 of 2 completed runs succeeded")))
                .andExpect(content().string(containsString("<title id=\"trend-title\">Duration of the last 2 completed runs,"
                        + " oldest first; longest 61 s</title>")))
                .andExpect(content().string(containsString("<title>#10: 61 s</title>")))
                .andExpect(content().string(containsString("&lt;script&gt;alert(1)&lt;/script&gt;")))
                .andExpect(content().string(org.hamcrest.Matchers.not(containsString("<script>alert(1)"))));
        mvc.perform(get("/services/fish-service/builds")).andExpect(status().is3xxRedirection())
                .andExpect(redirectedUrl("/login"));
        mvc.perform(get("/services/nope/builds").with(MEMBER)).andExpect(status().isNotFound());
        mvc.perform(get("/services/fish-service").with(MEMBER))
                .andExpect(content().string(containsString("/services/fish-service/builds")));
    }

    @Test
    void unmappedRunsAreCountedAndListedForAdminsOnly() throws Exception {
        mvc.perform(post("/api/v1/ingest/pipeline-run").with(PUSHER).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                .content(fixture("github-actions-list-workflow-runs.rest-api-example.json")
                        .replaceAll("(?s)^.*?\"workflow_runs\": \\[", "").replaceAll("(?s)\\]\\s*}\\s*$", "")))
                .andExpect(status().isAccepted());

        mvc.perform(get("/admin/pipeline-runs/unmapped").with(PUSHER))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("1 pipeline runs belong to no catalog service")))
                .andExpect(content().string(containsString("<td>octocat/Hello-World</td>")));
        mvc.perform(get("/admin/pipeline-runs/unmapped").with(MEMBER)).andExpect(status().isForbidden());
    }

    private void pushThreeSamples() throws Exception {
        String github = fixture("github-actions-list-workflow-runs.rest-api-example.json");
        String run = github.replaceAll("(?s)^.*?\"workflow_runs\": \\[", "").replaceAll("(?s)\\]\\s*}\\s*$", "");
        mvc.perform(post("/api/v1/ingest/pipeline-run").with(PUSHER).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                .content("{\"action\": \"requested\", \"workflow_run\": " + run + "}")).andExpect(status().isAccepted());
        mvc.perform(post("/api/v1/ingest/pipeline-run").with(PUSHER).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                .content(fixture("gitlab-get-single-pipeline.api-docs-example.json"))).andExpect(status().isAccepted());
        mvc.perform(post("/api/v1/ingest/pipeline-run").with(PUSHER).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                .content(fixture("jenkins-build-api-json-with-git-changeset.json"))).andExpect(status().isAccepted())
                .andExpect(jsonPath("$.id").isNotEmpty());
    }
}

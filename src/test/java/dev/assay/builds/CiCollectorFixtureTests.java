package dev.assay.builds;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.assay.collect.JobStatus;

/** Each collector against WireMock serving the real samples of fixtures/ci: exact rows and fields. */
class CiCollectorFixtureTests extends BuildsTestSupport {

    @Test
    void githubActionsStoresTheSampleRunWithEveryField() {
        UPSTREAM.stubFor(get(urlPathEqualTo("/gh/repos/octo-org/octo-repo/actions/runs"))
                .willReturn(okJson(fixture("github-actions-list-workflow-runs.rest-api-example.json"))));

        JobStatus run = collect("gh");

        assertThat(run.status()).isEqualTo("COMPLETED");
        assertThat(run.written()).isEqualTo(1);
        Map<String, Object> row = jdbc.queryForMap("select * from pipeline_run");
        assertThat(row).containsEntry("source_id", "gh").containsEntry("ci_system", "github-actions")
                .containsEntry("repository", "octo-org/octo-repo").containsEntry("workflow", "Build")
                .containsEntry("external_id", "30433642").containsEntry("attempt", 1).containsEntry("run_number", 562L)
                .containsEntry("commit_sha", "acb5820ced9479c074f688cc328bf03f341a511d").containsEntry("branch", "master")
                .containsEntry("trigger_event", "push").containsEntry("status", "queued")
                .containsEntry("upstream_status", "queued").containsEntry("conclusion", null)
                .containsEntry("finished_at", null).containsEntry("duration_s", null)
                .containsEntry("url", "https://github.com/octo-org/octo-repo/actions/runs/30433642")
                .containsEntry("actor", "octocat").containsEntry("mapped", true);
        assertThat(instant(row.get("created_at"))).isEqualTo(Instant.parse("2020-01-22T19:33:08Z"));
        assertThat(instant(row.get("started_at"))).isEqualTo(Instant.parse("2020-01-22T19:33:08Z"));
        assertThat(jdbc.queryForList("select service_name from pipeline_run_service", String.class))
                .containsExactly("octo-service");
        UPSTREAM.verify(1, getRequestedFor(urlPathEqualTo("/gh/repos/octo-org/octo-repo/actions/runs"))
                .withQueryParam("per_page", equalTo("100")).withQueryParam("created", equalTo(">=2020-01-02T00:00:00Z"))
                .withHeader("Authorization", equalTo("Bearer gh-test-token"))
                .withHeader("X-GitHub-Api-Version", equalTo("2022-11-28")));
    }

    @Test
    void gitlabStoresListedPipelinesAndReadsDetailsOfStartedOnes() {
        UPSTREAM.stubFor(get(urlPathEqualTo("/gl/api/v4/projects/1/pipelines"))
                .willReturn(okJson(fixture("gitlab-list-project-pipelines.api-docs-example.json"))));
        UPSTREAM.stubFor(get(urlPathEqualTo("/gl/api/v4/projects/test-group%2Ftest-project/pipelines"))
                .willReturn(okJson("[" + CiGenerated.gitlabListItem(287, Instant.parse("2022-09-21T01:05:07.200Z"),
                        Instant.parse("2022-09-21T01:05:50.185Z"), "success") + "]")));
        UPSTREAM.stubFor(get(urlPathEqualTo("/gl/api/v4/projects/test-group%2Ftest-project/pipelines/287"))
                .willReturn(okJson(fixture("gitlab-get-single-pipeline.api-docs-example.json"))));

        JobStatus run = collect("gl");

        assertThat(run.status()).isEqualTo("COMPLETED");
        assertThat(count("select count(*) from pipeline_run")).isEqualTo(3);
        assertThat(jdbc.queryForList("select external_id, repository, status, upstream_status, trigger_event, branch, commit_sha"
                + " from pipeline_run where external_id in ('47', '48') order by external_id"))
                .extracting(r -> r.get("external_id"), r -> r.get("repository"), r -> r.get("status"),
                        r -> r.get("upstream_status"), r -> r.get("trigger_event"), r -> r.get("branch"), r -> r.get("commit_sha"))
                .containsExactly(
                        tuple("47", "foo/bar", "queued", "pending", "push", "new-pipeline", "a91957a858320c0e17f3a0eca7cfacbff50ea29a"),
                        tuple("48", "foo/bar", "queued", "pending", "web", "new-pipeline", "eb94b618fb5865b26e80fdd8ae531b7a63ad851a"));
        Map<String, Object> detail = jdbc.queryForMap("select * from pipeline_run where external_id = '287'");
        assertThat(detail).containsEntry("repository", "test-group/test-project").containsEntry("workflow", "Build pipeline")
                .containsEntry("status", "completed").containsEntry("conclusion", "success").containsEntry("duration_s", 34L)
                .containsEntry("run_number", 144L).containsEntry("actor", "root").containsEntry("branch", "main")
                .containsEntry("url", "http://127.0.0.1:3000/test-group/test-project/-/pipelines/287");
        assertThat(instant(detail.get("started_at"))).isEqualTo(Instant.parse("2022-09-21T01:05:14.197Z"));
        assertThat(instant(detail.get("finished_at"))).isEqualTo(Instant.parse("2022-09-21T01:05:50.175Z"));
        assertThat(jdbc.queryForList("select r.external_id, s.service_name from pipeline_run r join pipeline_run_service s"
                + " on s.run_id = r.id order by r.external_id"))
                .extracting(r -> r.get("external_id"), r -> r.get("service_name"))
                .containsExactly(tuple("287", "test-project-service"), tuple("47", "bar-service"), tuple("48", "bar-service"));
        // Pending pipelines have nothing more to say: only the started one was read in detail.
        UPSTREAM.verify(0, getRequestedFor(urlPathMatching("/gl/api/v4/projects/1/pipelines/.*")));
        UPSTREAM.verify(1, getRequestedFor(urlPathEqualTo("/gl/api/v4/projects/1/pipelines"))
                .withHeader("PRIVATE-TOKEN", equalTo("gl-test-token")).withQueryParam("order_by", equalTo("updated_at"))
                .withQueryParam("updated_after", equalTo("2020-01-02T00:00:00Z")));
    }

    @Test
    void jenkinsReadsJobsFoldersAndMultibranchProjects() {
        String build = fixture("jenkins-build-api-json-with-git-changeset.json");
        String job = fixture("jenkins-job-api-json.json");
        String fish = job.substring(0, job.indexOf("\"builds\"")) + "\"builds\" : [" + build + "]"
                + job.substring(job.indexOf(",\n  \"color\""));
        UPSTREAM.stubFor(get(urlPathEqualTo("/jk/job/fish/api/json")).willReturn(okJson(fish)));
        UPSTREAM.stubFor(get(urlPathEqualTo("/jk/job/shop/api/json")).willReturn(okJson(
                "{\"_class\": \"com.cloudbees.hudson.plugins.folder.Folder\", \"name\": \"shop\", \"jobs\": [{\"_class\":"
                        + " \"org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject\", \"name\": \"shop-api\"}]}")));
        UPSTREAM.stubFor(get(urlPathEqualTo("/jk/job/shop/job/shop-api/api/json")).willReturn(okJson(
                "{\"_class\": \"org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject\", \"name\": \"shop-api\","
                        + " \"jobs\": [{\"_class\": \"org.jenkinsci.plugins.workflow.job.WorkflowJob\", \"name\": \"main\"}]}")));
        String mainUrl = "http://jenkins.example/job/shop/job/shop-api/job/main/";
        UPSTREAM.stubFor(get(urlPathEqualTo("/jk/job/shop/job/shop-api/job/main/api/json")).willReturn(okJson(
                "{\"_class\": \"org.jenkinsci.plugins.workflow.job.WorkflowJob\", \"name\": \"main\", \"builds\": ["
                        + CiGenerated.jenkinsBuild(mainUrl, 2, Instant.parse("2020-01-30T10:00:00Z"), 0, null, true) + ","
                        + CiGenerated.jenkinsBuild(mainUrl, 1, Instant.parse("2020-01-29T10:00:00Z"), 125_400, "FAILURE", false)
                        + "]}")));

        JobStatus run = collect("jk");

        assertThat(run.status()).isEqualTo("COMPLETED");
        assertThat(count("select count(*) from pipeline_run")).isEqualTo(3);
        Map<String, Object> fishRow = jdbc.queryForMap("select * from pipeline_run where external_id = 'fish#10'");
        assertThat(fishRow).containsEntry("repository", "fish").containsEntry("run_number", 10L)
                .containsEntry("commit_sha", "d27afa0805201322d846d7defc29b82c88d9b5ce").containsEntry("branch", null)
                .containsEntry("trigger_event", "manual").containsEntry("actor", "anonymous")
                .containsEntry("status", "completed").containsEntry("conclusion", "success").containsEntry("duration_s", 61L)
                .containsEntry("url", "http://localhost:32769/job/fish/10/");
        assertThat(instant(fishRow.get("started_at"))).isEqualTo(Instant.parse("2016-04-19T18:51:32.486Z"));
        assertThat(instant(fishRow.get("finished_at"))).isEqualTo(Instant.parse("2016-04-19T18:52:33.236Z"));
        assertThat(jdbc.queryForList("select external_id, branch, status, conclusion, duration_s, trigger_event"
                + " from pipeline_run where repository = 'shop/shop-api/main' order by run_number"))
                .extracting(r -> r.get("external_id"), r -> r.get("branch"), r -> r.get("status"), r -> r.get("conclusion"),
                        r -> r.get("duration_s"), r -> r.get("trigger_event"))
                .containsExactly(tuple("shop/shop-api/main#1", "main", "completed", "failure", 125L, "push"),
                        tuple("shop/shop-api/main#2", "main", "in_progress", null, null, "push"));
        assertThat(jdbc.queryForList("select distinct service_name from pipeline_run_service order by service_name", String.class))
                .containsExactly("fish-service", "shop-service");
        UPSTREAM.verify(getRequestedFor(urlPathEqualTo("/jk/job/fish/api/json"))
                .withHeader("Authorization", equalTo("Basic amVua2lucy11c2VyOmplbmtpbnMtdGVzdC10b2tlbg==")));
    }

    @Test
    void aRefusedCredentialIsNeverRepeatedInTheJobsMessage() {
        UPSTREAM.stubFor(get(urlPathEqualTo("/gh/repos/octo-org/octo-repo/actions/runs")).willReturn(
                com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(401)
                        .withBody("{\"message\": \"Bad credentials: Bearer gh-test-token\"}")));

        JobStatus run = collect("gh");

        assertThat(run.status()).isEqualTo("FAILED");
        assertThat(run.exitMessage()).contains("answered 401").contains("[REDACTED]").doesNotContain("gh-test-token");
        assertThat(count("select count(*) from pipeline_run")).isZero();
    }

    static Instant instant(Object value) {
        if (value instanceof java.time.OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (value instanceof java.sql.Timestamp ts) {
            return ts.toInstant();
        }
        return value == null ? null : Instant.parse(String.valueOf(value));
    }
}

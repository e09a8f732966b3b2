package dev.assay.builds;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;

import dev.assay.collect.JobStatus;

/**
 * Fault tests per collector (GitHub Actions, GitLab CI, Jenkins): 429 with Retry-After, 502,
 * connection reset, timeout, malformed records, a truncated page and a run that dies half-way and is
 * run again — every run stored exactly once, malformed ones quarantined with their reason. Waits
 * are recorded by the test Sleeper, not slept.
 */
class CiCollectorFaultTests extends BuildsTestSupport {

    static final Instant START = Instant.parse("2020-01-20T00:00:00Z");

    /** One collector as the fault tests drive it: its source, its list request and a page of N good runs. */
    enum Ci {
        GITHUB("gh"), GITLAB("gl"), JENKINS("jk");

        final String source;

        Ci(String source) {
            this.source = source;
        }

        MappingBuilder list() {
            return switch (this) {
                case GITHUB -> get(urlPathEqualTo("/gh/repos/octo-org/octo-repo/actions/runs"));
                case GITLAB -> get(urlPathEqualTo("/gl/api/v4/projects/1/pipelines"));
                case JENKINS -> get(urlPathEqualTo("/jk/job/fish/api/json"));
            };
        }

        List<String> records(int from, int to) {
            List<String> records = new ArrayList<>();
            for (int i = from; i < to; i++) {
                Instant at = START.plusSeconds(60L * i);
                records.add(switch (this) {
                    case GITHUB -> CiGenerated.githubRun("octo-org/octo-repo", 1000 + i, at, 60 + i, "completed", "success");
                    case GITLAB -> CiGenerated.gitlabPending(1000 + i, at);
                    case JENKINS -> CiGenerated.jenkinsBuild("http://jenkins.example/job/fish/", 1000 - i, at, 60_000, "SUCCESS",
                            false);
                });
            }
            return records;
        }

        String page(List<String> records) {
            return switch (this) {
                case GITHUB -> CiGenerated.githubPage(records, records.size());
                case GITLAB -> "[" + String.join(",", records) + "]";
                case JENKINS -> "{\"_class\": \"hudson.model.FreeStyleProject\", \"name\": \"fish\", \"builds\": ["
                        + String.join(",", records) + "]}";
            };
        }

        /** The other lists of the source answer empty. */
        void stubOthers() {
            if (this == GITLAB) {
                UPSTREAM.stubFor(get(urlPathEqualTo("/gl/api/v4/projects/test-group%2Ftest-project/pipelines"))
                        .willReturn(okJson("[]")));
            } else if (this == JENKINS) {
                UPSTREAM.stubFor(get(urlPathEqualTo("/jk/job/shop/api/json")).willReturn(okJson("{\"name\": \"shop\", \"builds\": []}")));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Ci.class)
    void waitsAsLongAsRetryAfterSaysOnA429(Ci ci) {
        ci.stubOthers();
        onceThen(ci, aResponse().withStatus(429).withHeader("Retry-After", "7"), ci.page(ci.records(0, 30)));

        assertCompletedWithWaits(ci, Duration.ofSeconds(7));
    }

    @ParameterizedTest
    @EnumSource(Ci.class)
    void retriesABadGateway(Ci ci) {
        ci.stubOthers();
        onceThen(ci, aResponse().withStatus(502).withBody("<html>bad gateway</html>"), ci.page(ci.records(0, 30)));

        assertCompletedWithWaits(ci, Duration.ofSeconds(1));
    }

    @ParameterizedTest
    @EnumSource(Ci.class)
    void retriesAConnectionReset(Ci ci) {
        ci.stubOthers();
        onceThen(ci, aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), ci.page(ci.records(0, 30)));

        assertCompletedWithWaits(ci, Duration.ofSeconds(1));
    }

    @ParameterizedTest
    @EnumSource(Ci.class)
    void retriesATimeout(Ci ci) {
        ci.stubOthers();
        // The test context times requests out after 2 s.
        onceThen(ci, okJson(ci.page(ci.records(0, 30))).withFixedDelay(4_000), ci.page(ci.records(0, 30)));

        assertCompletedWithWaits(ci, Duration.ofSeconds(1));
    }

    @ParameterizedTest
    @EnumSource(Ci.class)
    void quarantinesMalformedRecordsWithTheReasonAndKeepsTheRestOfThePage(Ci ci) {
        ci.stubOthers();
        List<String> records = ci.records(0, 5);
        Map.Entry<String, String> bad = switch (ci) {
            case GITHUB -> Map.entry(CiGenerated.githubRun("octo-org/octo-repo", 9001, START, 60, "completed", "success")
                    .replace("\"created_at\": \"" + START + "\"", "\"created_at\": \"yesterday\""),
                    "created_at 'yesterday' is not an ISO-8601 timestamp with a time-zone offset");
            case GITLAB -> Map.entry(CiGenerated.gitlabPending(9001, START).replace("\"pending\"", "\"exploded\""),
                    "GitLab pipeline 9001 has status 'exploded', not one of [canceled, canceling, created, failed, manual,"
                            + " pending, preparing, running, scheduled, skipped, success, waiting_for_callback,"
                            + " waiting_for_resource]");
            case JENKINS -> Map.entry("{\"number\": 9001, \"result\": \"SUCCESS\", \"url\": \"http://jenkins.example/job/fish/9001/\"}",
                    "Jenkins build fish #9001 has no timestamp");
        };
        records.add(2, bad.getKey());
        records.add("\"not a run\"");
        UPSTREAM.stubFor(ci.list().willReturn(okJson(ci.page(records))));

        JobStatus run = collect(ci.source);

        assertThat(run.status()).isEqualTo("COMPLETED");
        assertThat(run.read()).isEqualTo(7);
        assertThat(run.written()).isEqualTo(5);
        assertThat(count("select count(*) from pipeline_run")).isEqualTo(5);
        assertThat(jdbc.queryForList("select reason from quarantine where source_id = ? order by location", String.class,
                ci.source)).containsExactly(bad.getValue(), switch (ci) {
                    case GITHUB -> "a GitHub workflow run must be a JSON object";
                    case GITLAB -> "a GitLab pipeline must be a JSON object";
                    case JENKINS -> "a Jenkins build must be a JSON object";
                });
        assertThat(jdbc.queryForObject("select location from quarantine where reason = ?", String.class, bad.getValue()))
                .contains("#3");
    }

    @ParameterizedTest
    @EnumSource(value = Ci.class, names = {"GITHUB", "GITLAB"})
    void aTruncatedPageIsAskedForAgainThenQuarantinedAndARerunStoresEveryRunOnce(Ci ci) {
        ci.stubOthers();
        List<String> all = ci.records(0, 150);
        String truncated = ci.page(all.subList(100, 150)).substring(0, 700);
        stubTwoPages(ci, ci.page(all.subList(0, 100)), okJson(truncated));

        JobStatus failed = collect(ci.source);

        assertThat(failed.status()).isEqualTo("FAILED");
        assertThat(failed.exitMessage()).contains("the page is not valid JSON");
        assertThat(UPSTREAM.findAll(secondPage(ci))).hasSize(2);
        // The four chunks of page 1 were committed; the list was not finished, so its cursors did not move.
        assertThat(count("select count(*) from pipeline_run")).isEqualTo(100);
        assertThat(jdbc.queryForObject("select kind from quarantine", String.class)).endsWith("-page");
        assertThat(jdbc.queryForObject("select payload from quarantine", String.class)).isEqualTo(truncated);
        List<Map<String, Object>> committed = jdbc.queryForList("select id, external_id, updated_at from pipeline_run order by id");

        UPSTREAM.resetAll();
        ci.stubOthers();
        stubTwoPages(ci, ci.page(all.subList(0, 100)), okJson(ci.page(all.subList(100, 150))));
        JobStatus rerun = collect(ci.source);

        assertThat(rerun.status()).isEqualTo("COMPLETED");
        assertThat(count("select count(*) from pipeline_run")).isEqualTo(150);
        assertThat(count("select count(distinct external_id) from pipeline_run")).isEqualTo(150);
        assertThat(jdbc.queryForList("select id, external_id, updated_at from pipeline_run order by id").subList(0, 100))
                .isEqualTo(committed);
    }

    @ParameterizedTest
    @EnumSource(value = Ci.class, names = {"GITHUB", "GITLAB"})
    void aRunThatDiesHalfWayAndIsRunAgainStoresEveryRunExactlyOnce(Ci ci) {
        ci.stubOthers();
        List<String> all = ci.records(0, 150);
        stubTwoPages(ci, ci.page(all.subList(0, 100)), aResponse().withStatus(500).withBody("{\"message\":\"boom\"}"));

        JobStatus failed = collect(ci.source);

        assertThat(failed.status()).isEqualTo("FAILED");
        assertThat(failed.exitMessage()).contains("still answered 500 after 5 attempts");
        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8));
        assertThat(count("select count(*) from pipeline_run")).isEqualTo(100);
        List<Map<String, Object>> committed = jdbc.queryForList("select id, external_id, updated_at from pipeline_run order by id");

        UPSTREAM.resetAll();
        ci.stubOthers();
        stubTwoPages(ci, ci.page(all.subList(0, 100)), okJson(ci.page(all.subList(100, 150))));
        JobStatus rerun = collect(ci.source);

        assertThat(rerun.status()).isEqualTo("COMPLETED");
        assertThat(count("select count(*) from pipeline_run")).isEqualTo(150);
        assertThat(count("select count(distinct external_id) from pipeline_run")).isEqualTo(150);
        assertThat(jdbc.queryForList("select id, external_id, updated_at from pipeline_run order by id").subList(0, 100))
                .isEqualTo(committed);
    }

    @org.junit.jupiter.api.Test
    void aJenkinsJobThatDiesIsCollectedAgainWithoutDuplicates() {
        Ci.JENKINS.stubOthers();
        UPSTREAM.stubFor(Ci.JENKINS.list().willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        JobStatus failed = collect("jk");

        assertThat(failed.status()).isEqualTo("FAILED");
        assertThat(count("select count(*) from pipeline_run")).isZero();

        UPSTREAM.resetAll();
        Ci.JENKINS.stubOthers();
        UPSTREAM.stubFor(Ci.JENKINS.list().willReturn(okJson(Ci.JENKINS.page(Ci.JENKINS.records(0, 30)))));
        assertThat(collect("jk").status()).isEqualTo("COMPLETED");
        assertThat(collect("jk").status()).isEqualTo("COMPLETED");

        assertThat(count("select count(*) from pipeline_run")).isEqualTo(30);
        assertThat(count("select count(distinct external_id) from pipeline_run")).isEqualTo(30);
    }

    @org.junit.jupiter.api.Test
    void aTruncatedJenkinsJobIsAskedForAgainThenQuarantinedAndARerunStoresEveryBuildOnce() {
        Ci.JENKINS.stubOthers();
        String page = Ci.JENKINS.page(Ci.JENKINS.records(0, 30));
        UPSTREAM.stubFor(Ci.JENKINS.list().willReturn(okJson(page.substring(0, 900))));

        JobStatus failed = collect("jk");

        assertThat(failed.status()).isEqualTo("FAILED");
        assertThat(failed.exitMessage()).contains("jk: GET /jk/job/fish/api/json: the page is not valid JSON");
        UPSTREAM.verify(2, getRequestedFor(urlPathEqualTo("/jk/job/fish/api/json")));
        assertThat(jdbc.queryForList("select kind from quarantine", String.class)).containsExactly("jenkins-job");
        assertThat(count("select count(*) from pipeline_run")).isZero();

        UPSTREAM.resetAll();
        Ci.JENKINS.stubOthers();
        UPSTREAM.stubFor(Ci.JENKINS.list().willReturn(okJson(page)));
        assertThat(collect("jk").status()).isEqualTo("COMPLETED");
        assertThat(count("select count(*) from pipeline_run")).isEqualTo(30);
        assertThat(count("select count(distinct external_id) from pipeline_run")).isEqualTo(30);
    }

    private void assertCompletedWithWaits(Ci ci, Duration... waits) {
        JobStatus run = collect(ci.source);

        assertThat(run.status()).isEqualTo("COMPLETED");
        assertThat(sleeper.waits).containsExactly(waits);
        assertThat(count("select count(*) from pipeline_run")).isEqualTo(30);
        assertThat(count("select count(distinct external_id) from pipeline_run")).isEqualTo(30);
        assertThat(count("select count(*) from quarantine")).isZero();
    }

    private static void stubTwoPages(Ci ci, String first, ResponseDefinitionBuilder second) {
        String path = ci == Ci.GITHUB ? "/gh/repos/octo-org/octo-repo/actions/runs" : "/gl/api/v4/projects/1/pipelines";
        if (ci == Ci.GITHUB) {
            String next = "http://127.0.0.1:" + UPSTREAM.port() + path + "?per_page=100&page=2";
            UPSTREAM.stubFor(ci.list().withQueryParam("page", absent())
                    .willReturn(okJson(first).withHeader("Link", "<" + next + ">; rel=\"next\"")));
        } else {
            UPSTREAM.stubFor(ci.list().withQueryParam("page", absent()).willReturn(okJson(first).withHeader("X-Next-Page", "2")));
        }
        UPSTREAM.stubFor(ci.list().withQueryParam("page", equalTo("2")).willReturn(second));
    }

    private static com.github.tomakehurst.wiremock.matching.RequestPatternBuilder secondPage(Ci ci) {
        String path = ci == Ci.GITHUB ? "/gh/repos/octo-org/octo-repo/actions/runs" : "/gl/api/v4/projects/1/pipelines";
        return getRequestedFor(urlPathEqualTo(path)).withQueryParam("page", equalTo("2"));
    }

    /** The list request fails once as {@code first}, then answers {@code thenBody}. */
    private static void onceThen(Ci ci, ResponseDefinitionBuilder first, String thenBody) {
        String scenario = "once-" + ci;
        UPSTREAM.stubFor(ci.list().inScenario(scenario).whenScenarioStateIs(STARTED).willReturn(first).willSetStateTo("ok"));
        UPSTREAM.stubFor(ci.list().inScenario(scenario).whenScenarioStateIs("ok").willReturn(okJson(thenBody)));
    }
}

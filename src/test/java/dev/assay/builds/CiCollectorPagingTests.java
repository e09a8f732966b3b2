package dev.assay.builds;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.assay.collect.JobStatus;

/**
 * Generated multi-page scenarios: GitHub Enterprise with {@code Link} paging, GitLab with
 * {@code X-Next-Page} and pipeline details; then collections with no upstream change, which send one
 * request per repository (and from then on conditional ones answered 304) and write no row.
 */
class CiCollectorPagingTests extends BuildsTestSupport {

    static final Instant START = Instant.parse("2020-01-20T00:00:00Z");
    static final String BIG = "/ghe/api/v3/repos/acme/big/actions/runs";
    static final String EMPTY = "/ghe/api/v3/repos/acme/unmapped/actions/runs";

    @Test
    void githubEnterprisePagesByLinkAndAnUnchangedUpstreamWritesNothing() {
        List<String> runs = new ArrayList<>(CiGenerated.githubRuns("acme/big", 0, 250, START));
        java.util.Collections.reverse(runs);  // GitHub: newest first
        String base = "http://127.0.0.1:" + UPSTREAM.port() + BIG + "?per_page=100&created=%3E%3D2020-01-02T00%3A00%3A00Z";
        UPSTREAM.stubFor(get(urlPathEqualTo(BIG)).withQueryParam("created", equalTo(">=2020-01-02T00:00:00Z"))
                .withQueryParam("page", absent()).willReturn(okJson(CiGenerated.githubPage(runs.subList(0, 100), 250))
                        .withHeader("ETag", "W/\"big-1\"").withHeader("Link", "<" + base + "&page=2>; rel=\"next\", <" + base
                                + "&page=3>; rel=\"last\"")));
        UPSTREAM.stubFor(get(urlPathEqualTo(BIG)).withQueryParam("page", equalTo("2"))
                .willReturn(okJson(CiGenerated.githubPage(runs.subList(100, 200), 250)).withHeader("Link", "<" + base
                        + "&page=3>; rel=\"next\", <" + base + "&page=1>; rel=\"first\"")));
        UPSTREAM.stubFor(get(urlPathEqualTo(BIG)).withQueryParam("page", equalTo("3"))
                .willReturn(okJson(CiGenerated.githubPage(runs.subList(200, 250), 250))));
        UPSTREAM.stubFor(get(urlPathEqualTo(EMPTY)).willReturn(okJson(CiGenerated.githubPage(List.of(), 0))
                .withHeader("ETag", "\"empty-1\"")));

        JobStatus first = collect("gh-many");

        assertThat(first.status()).isEqualTo("COMPLETED");
        assertThat(first.written()).isEqualTo(250);
        assertThat(count("select count(*) from pipeline_run")).isEqualTo(250);
        assertThat(count("select count(distinct external_id) from pipeline_run")).isEqualTo(250);
        assertThat(count("select count(*) from pipeline_run where mapped = false")).isEqualTo(250);
        Map<String, Object> oldest = jdbc.queryForMap("select * from pipeline_run where external_id = '1000'");
        assertThat(oldest).containsEntry("duration_s", 60L).containsEntry("conclusion", "success")
                .containsEntry("status", "completed").containsEntry("commit_sha", "%040x".formatted(1000));
        String newest = START.plusSeconds(60L * 249).toString();
        assertThat(cursors()).containsEntry("github:acme/big:created", newest)
                .containsEntry("github:acme/big:etag", "W/\"big-1\" " + base)
                .containsEntry("github:acme/unmapped:etag", "\"empty-1\" " + "http://127.0.0.1:" + UPSTREAM.port() + EMPTY
                        + "?per_page=100&created=%3E%3D2020-01-02T00%3A00%3A00Z");
        List<Map<String, Object>> stored = jdbc.queryForList("select id, updated_at from pipeline_run order by id");

        // Second collection, nothing changed: from the watermark GitHub lists only the newest run again.
        UPSTREAM.resetRequests();
        UPSTREAM.stubFor(get(urlPathEqualTo(BIG)).withQueryParam("created", equalTo(">=" + newest))
                .willReturn(okJson(CiGenerated.githubPage(runs.subList(0, 1), 1)).withHeader("ETag", "\"big-2\"")));
        UPSTREAM.stubFor(get(urlPathEqualTo(EMPTY)).withHeader("If-None-Match", equalTo("\"empty-1\""))
                .atPriority(1).willReturn(aResponse().withStatus(304)));
        clock.set(clock.instant().plusSeconds(3600));

        JobStatus second = collect("gh-many");

        assertThat(second.status()).isEqualTo("COMPLETED");
        assertThat(second.written()).isEqualTo(1);  // handed to the writer, which found nothing to change
        assertThat(UPSTREAM.findAll(getRequestedFor(urlPathMatching("/ghe/.*")))).hasSize(2);
        UPSTREAM.verify(1, getRequestedFor(urlPathEqualTo(EMPTY)).withHeader("If-None-Match", equalTo("\"empty-1\"")));
        assertThat(jdbc.queryForList("select id, updated_at from pipeline_run order by id")).isEqualTo(stored);

        // Third collection: both lists are asked conditionally and answer 304.
        UPSTREAM.resetRequests();
        UPSTREAM.stubFor(get(urlPathEqualTo(BIG)).withHeader("If-None-Match", equalTo("\"big-2\"")).atPriority(1)
                .willReturn(aResponse().withStatus(304)));

        JobStatus third = collect("gh-many");

        assertThat(third.status()).isEqualTo("COMPLETED");
        assertThat(third.read()).isZero();
        assertThat(UPSTREAM.findAll(getRequestedFor(urlPathMatching("/ghe/.*")))).hasSize(2)
                .allSatisfy(r -> assertThat(r.getHeader("If-None-Match")).isNotBlank());
        assertThat(jdbc.queryForList("select id, updated_at from pipeline_run order by id")).isEqualTo(stored);
    }

    @Test
    void gitlabPagesByNextPageReadsDetailsOnceAndAnUnchangedUpstreamWritesNothing() {
        String path = "/gl/api/v4/projects/test-group%2Ftest-project/pipelines";
        List<String> listed = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            Instant created = START.plusSeconds(60L * i);
            long id = 500 + i;
            listed.add(CiGenerated.gitlabListItem(id, created, created.plusSeconds(65 + i), "success"));
            UPSTREAM.stubFor(get(urlPathEqualTo(path + "/" + id))
                    .willReturn(okJson(CiGenerated.gitlabDetail(id, created, 60 + i))));
        }
        UPSTREAM.stubFor(get(urlPathEqualTo(path)).withQueryParam("page", absent())
                .willReturn(okJson("[" + String.join(",", listed.subList(0, 100)) + "]").withHeader("X-Next-Page", "2")));
        UPSTREAM.stubFor(get(urlPathEqualTo(path)).withQueryParam("page", equalTo("2"))
                .willReturn(okJson("[" + String.join(",", listed.subList(100, 120)) + "]").withHeader("X-Next-Page", "")));
        UPSTREAM.stubFor(get(urlPathEqualTo("/gl/api/v4/projects/1/pipelines")).willReturn(okJson("[]")));

        JobStatus first = collect("gl");

        assertThat(first.status()).isEqualTo("COMPLETED");
        assertThat(count("select count(*) from pipeline_run")).isEqualTo(120);
        assertThat(count("select count(*) from pipeline_run_service where service_name = 'test-project-service'"))
                .isEqualTo(120);
        assertThat(count("select sum(duration_s) from pipeline_run")).isEqualTo(120 * 60 + 119 * 120 / 2);
        UPSTREAM.verify(120, getRequestedFor(urlPathMatching(path + "/\\d+")));
        String newestUpdate = START.plusSeconds(60L * 119 + 65 + 119).toString();
        assertThat(cursors()).containsEntry("gitlab:test-group/test-project:updated", newestUpdate);
        List<Map<String, Object>> stored = jdbc.queryForList("select id, updated_at from pipeline_run order by id");

        // Nothing changed: GitLab lists the last pipeline again (updated_after is inclusive here); no detail is read.
        UPSTREAM.resetRequests();
        UPSTREAM.stubFor(get(urlPathEqualTo(path)).withQueryParam("updated_after", equalTo(newestUpdate))
                .atPriority(1).willReturn(okJson("[" + listed.get(119) + "]")));
        JobStatus second = collect("gl");

        assertThat(second.status()).isEqualTo("COMPLETED");
        assertThat(second.written()).isZero();
        UPSTREAM.verify(0, getRequestedFor(urlPathMatching(path + "/\\d+")));
        assertThat(UPSTREAM.findAll(getRequestedFor(urlPathMatching("/gl/.*")))).hasSize(2);
        assertThat(jdbc.queryForList("select id, updated_at from pipeline_run order by id")).isEqualTo(stored);
    }

    private Map<String, String> cursors() {
        Map<String, String> values = new java.util.TreeMap<>();
        jdbc.queryForList("select cursor_key, cursor_value from collect_cursor")
                .forEach(r -> values.put((String) r.get("cursor_key"), (String) r.get("cursor_value")));
        return values;
    }
}

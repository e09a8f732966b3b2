package dev.assay.builds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import org.junit.jupiter.api.Test;

import dev.assay.collect.JobStatus;

/**
 * The demo recordings (batch-jobs/demo/ci) collected by the real GitHub, GitLab and Jenkins jobs
 * through the loopback replay, against the demo catalog, as batch-jobs/demo/ci/README.md describes.
 */
class DemoBuildsTests extends BuildsTestSupport {

    @Test
    void demoRunsAreCollectedMappedAndTheSlowRunIsAnAnomaly() {
        assertThat(collect("demo-catalog").status()).isEqualTo("COMPLETED");
        JobStatus github = collect("demo-github");
        JobStatus gitlab = collect("demo-gitlab");
        JobStatus jenkins = collect("demo-jenkins");

        assertThat(github.status()).isEqualTo("COMPLETED");
        assertThat(github.written()).isEqualTo(26);
        assertThat(gitlab.status()).isEqualTo("COMPLETED");
        assertThat(gitlab.written()).isEqualTo(8);
        assertThat(jenkins.status()).isEqualTo("COMPLETED");
        assertThat(jenkins.written()).isEqualTo(10);
        assertThat(count("select count(*) from quarantine where source_id <> 'demo-catalog'")).isZero();
        assertThat(jdbc.queryForList("select s.service_name, count(*) as runs from pipeline_run_service s"
                + " group by s.service_name order by s.service_name"))
                .extracting(r -> r.get("service_name"), r -> ((Number) r.get("runs")).intValue())
                .containsExactly(tuple("api-gateway", 6), tuple("ledger-service", 10), tuple("payments-api", 18),
                        tuple("warehouse-loader", 8));
        assertThat(count("select count(*) from pipeline_run where mapped = false")).isEqualTo(2);
        assertThat(jdbc.queryForList("select conclusion, count(*) as n from pipeline_run where source_id = 'demo-jenkins'"
                + " group by conclusion order by conclusion"))
                .extracting(r -> r.get("conclusion"), r -> ((Number) r.get("n")).intValue())
                .containsExactly(tuple("failure", 1), tuple("success", 8), tuple("unstable", 1));
        assertThat(count("select count(*) from pipeline_run where source_id = 'demo-gitlab' and duration_s is not null"))
                .isEqualTo(7);
        // GitHub lists newest first; the anomaly pass at the end of the job sees the 980 s run with its history.
        assertThat(jdbc.queryForList("select r.external_id from build_anomaly a join pipeline_run r on r.id = a.run_id",
                String.class)).containsExactly("880151");
        assertThat(jdbc.queryForList("select service_name || ' ' || rule_id || ' ' || severity from finding", String.class))
                .containsExactly("payments-api build-anomaly medium");

        // Collected again: nothing changes.
        var before = jdbc.queryForList("select id, updated_at from pipeline_run order by id");
        assertThat(collect("demo-github").status()).isEqualTo("COMPLETED");
        assertThat(collect("demo-gitlab").status()).isEqualTo("COMPLETED");
        assertThat(collect("demo-jenkins").status()).isEqualTo("COMPLETED");
        assertThat(jdbc.queryForList("select id, updated_at from pipeline_run order by id")).isEqualTo(before);
        assertThat(count("select count(*) from build_anomaly")).isEqualTo(1);
    }
}

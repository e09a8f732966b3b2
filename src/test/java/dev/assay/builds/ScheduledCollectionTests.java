package dev.assay.builds;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.assay.collect.CollectionRuns;
import dev.assay.collect.internal.ScheduledCollection;
import net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;

/**
 * Cluster-safe schedules: two Assay instances (two lock providers, two launchers' worth of
 * schedule) on one database fire the same source's schedule at the same moment; exactly one
 * launches, and the lock is kept a minute so a late-firing instance does not launch again.
 */
class ScheduledCollectionTests extends BuildsTestSupport {

    @Test
    void twoInstancesFiringTogetherLaunchOneCollection() throws Exception {
        UPSTREAM.stubFor(get(urlPathEqualTo("/gh/repos/octo-org/octo-repo/actions/runs"))
                .willReturn(okJson(fixture("github-actions-list-workflow-runs.rest-api-example.json"))));
        ScheduledCollection first = instance();
        ScheduledCollection second = instance();

        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<Boolean>> fired = threads.invokeAll(List.<Callable<Boolean>>of(() -> first.fire("gh"),
                    () -> second.fire("gh")));
            assertThat(List.of(fired.get(0).get(), fired.get(1).get())).containsExactlyInAnyOrder(true, false);
        } finally {
            threads.shutdown();
        }
        long execution = jdbc.queryForObject("select e.job_execution_id from batch_job_execution e join batch_job_instance i"
                + " on i.job_instance_id = e.job_instance_id where i.job_name = 'githubActionsCollectJob'", Long.class);
        assertThat(CollectionRuns.waitFor(executions, execution).status()).isEqualTo("COMPLETED");

        // The collection is over, but the schedule's lock is held a minute: a late trigger does nothing.
        assertThat(second.fire("gh")).isFalse();
        assertThat(count("select count(*) from batch_job_instance where job_name = 'githubActionsCollectJob'")).isEqualTo(1);
        assertThat(count("select count(*) from pipeline_run")).isEqualTo(1);
        assertThat(jdbc.queryForObject("select name from shedlock", String.class)).isEqualTo("collect:gh");
    }

    private ScheduledCollection instance() {
        return new ScheduledCollection(launcher, new DefaultLockingTaskExecutor(new JdbcTemplateLockProvider(
                JdbcTemplateLockProvider.Configuration.builder().withJdbcTemplate(new JdbcTemplate(dataSource)).usingDbTime()
                        .build())), Clock.systemUTC());
    }
}

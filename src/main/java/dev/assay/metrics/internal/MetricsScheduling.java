package dev.assay.metrics.internal;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

import dev.assay.metrics.MetricsRollupRunner;

/**
 * The rollup triggers: nightly ({@code assay.metrics.nightly-cron}) and after each collection (the
 * finished collections are looked for every {@code assay.metrics.collection-poll-interval}, so the
 * collect framework needs to know nothing about metrics).
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@ConditionalOnProperty(name = "assay.metrics.scheduling-enabled", havingValue = "true", matchIfMissing = true)
class MetricsScheduling {

    private final MetricsRollupRunner runner;

    MetricsScheduling(MetricsRollupRunner runner) {
        this.runner = runner;
    }

    @Scheduled(cron = "${assay.metrics.nightly-cron:0 30 2 * * *}")
    void nightly() {
        runner.launchUnlessRunning("nightly");
    }

    @Scheduled(fixedDelayString = "${assay.metrics.collection-poll-interval:PT1M}",
            initialDelayString = "${assay.metrics.collection-poll-interval:PT1M}")
    void afterCollection() {
        runner.launchIfCollected();
    }
}

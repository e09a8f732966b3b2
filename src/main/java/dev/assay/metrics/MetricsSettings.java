package dev.assay.metrics;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code assay.metrics.*}: how the rollups are kept (docs/metrics.md, docs/configuration.md).
 *
 * @param windows                  the windows the rollup job stores every figure for; the dashboard offers these
 * @param backfill                 how far back incident samples are (re)written on each run; at least twice the
 *                                 longest window, so a window and its previous period can be recombined
 * @param nightlyCron              when the nightly run starts (Spring cron, six fields)
 * @param collectionPollInterval   how often the scheduler looks for a collection that finished since the last run
 * @param schedulingEnabled        false turns both triggers off (tests run the job themselves)
 */
@ConfigurationProperties("assay.metrics")
public record MetricsSettings(@DefaultValue({"P7D", "P30D", "P90D"}) List<String> windows,
        @DefaultValue("P182D") Duration backfill, @DefaultValue("0 30 2 * * *") String nightlyCron,
        @DefaultValue("PT1M") Duration collectionPollInterval, @DefaultValue("true") boolean schedulingEnabled) {

    public MetricsSettings {
        windows = List.copyOf(windows);
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("assay.metrics.windows needs at least one window, e.g. P30D");
        }
        Duration longest = Duration.ZERO;
        for (String window : windows) {
            Duration length = MetricsApiController.parseWindow(window);
            longest = length.compareTo(longest) > 0 ? length : longest;
        }
        if (backfill.compareTo(longest.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("assay.metrics.backfill (" + backfill
                    + ") must be at least twice the longest window (" + longest + ")");
        }
    }

    /** The default window of the dashboard: P30D when configured, else the first. */
    public String defaultWindow() {
        return windows.contains("P30D") ? "P30D" : windows.get(0);
    }
}

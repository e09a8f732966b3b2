package dev.assay.collect;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the collection framework ({@code assay.collect.*}).
 *
 * @param collectOnFirstStart          collect every source once when no collection has ever run
 * @param quarantinePayloadLimitBytes  how much of a rejected payload is kept for inspection
 * @param heartbeatInterval            how often an instance touches the locks of the collections it runs
 * @param runStaleAfter                a running collection whose lock has not been touched for this long
 *                                     belongs to an instance that died; the next launch recovers it
 * @param threads                      how many collections one instance runs at the same time; more launches queue
 */
@ConfigurationProperties("assay.collect")
record CollectSettings(@DefaultValue("true") boolean collectOnFirstStart,
        @DefaultValue("65536") int quarantinePayloadLimitBytes,
        @DefaultValue("PT15S") java.time.Duration heartbeatInterval,
        @DefaultValue("PT1M") java.time.Duration runStaleAfter,
        @DefaultValue("2") int threads) {

    CollectSettings {
        if (runStaleAfter.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("assay.collect.run-stale-after must be at least twice assay.collect.heartbeat-interval");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("assay.collect.threads must be at least 1");
        }
    }
}

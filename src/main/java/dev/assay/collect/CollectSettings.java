package dev.assay.collect;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the collection framework ({@code assay.collect.*}).
 *
 * @param collectOnFirstStart          collect every source once when no collection has ever run
 * @param quarantinePayloadLimitBytes  how much of a rejected payload is kept for inspection
 */
@ConfigurationProperties("assay.collect")
record CollectSettings(@DefaultValue("true") boolean collectOnFirstStart,
        @DefaultValue("65536") int quarantinePayloadLimitBytes) {
}

package dev.assay.incidents.internal.collect;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the incident collectors ({@code assay.incidents.collect.*}).
 *
 * @param catalogWait how long a collection waits for a catalog import that is running, so that
 *                    the services of the incidents resolve against the imported catalog
 * @param chunkSize   incidents per transaction (and per watermark step); the default is the page size of
 *                    the upstream lists (100), so that a chunk is written with the few statements of
 *                    one page
 */
@ConfigurationProperties("assay.incidents.collect")
public record CollectorSettings(@DefaultValue("PT2M") Duration catalogWait, @DefaultValue("100") int chunkSize) {
}

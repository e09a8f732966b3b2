package dev.assay.collect.http;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The HTTP discipline every collector shares ({@code assay.collect.http.*}).
 *
 * @param maxAttempts   tries per request, the first included, for 429, 5xx, timeouts and resets
 * @param maxWait       the longest single wait Assay accepts from Retry-After or a rate-limit reset;
 *                      an upstream asking for longer fails the request instead of stalling the job
 * @param maxBodyBytes  a larger answer is refused (a broken or hostile upstream must not exhaust memory)
 */
@ConfigurationProperties("assay.collect.http")
public record UpstreamSettings(@DefaultValue("PT5S") Duration connectTimeout, @DefaultValue("PT30S") Duration requestTimeout,
        @DefaultValue("5") int maxAttempts, @DefaultValue("PT1S") Duration initialBackoff,
        @DefaultValue("PT30S") Duration maxBackoff, @DefaultValue("PT5M") Duration maxWait,
        @DefaultValue("33554432") long maxBodyBytes) {
}

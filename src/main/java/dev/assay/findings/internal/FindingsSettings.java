package dev.assay.findings.internal;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the findings feature ({@code assay.findings.*}).
 *
 * @param expiryCheckInterval   how often approved risk acceptances past their expiry are reopened
 *                              (they are also reopened whenever findings are read)
 * @param maxRiskAcceptanceDays the longest expiry a risk acceptance may ask for
 * @param minimumSample         below this many fixed findings, time to remediate is flagged "too few"
 * @param bootstrapResamples    resamples of the bootstrap confidence interval of the median
 */
@ConfigurationProperties("assay.findings")
public record FindingsSettings(@DefaultValue("PT5M") Duration expiryCheckInterval,
        @DefaultValue("365") int maxRiskAcceptanceDays, @DefaultValue("5") int minimumSample,
        @DefaultValue("2000") int bootstrapResamples) {

    public FindingsSettings {
        if (maxRiskAcceptanceDays < 1) {
            throw new IllegalArgumentException("assay.findings.max-risk-acceptance-days must be at least 1");
        }
        if (bootstrapResamples < 100) {
            throw new IllegalArgumentException("assay.findings.bootstrap-resamples must be at least 100");
        }
    }
}

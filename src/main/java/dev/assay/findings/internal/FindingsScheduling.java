package dev.assay.findings.internal;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * The periodic risk-acceptance expiry check. No cluster lock is needed: {@link RiskAcceptanceExpiry}
 * is safe to run on every instance at once (see there).
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class FindingsScheduling {

    private final RiskAcceptanceExpiry expiry;

    FindingsScheduling(RiskAcceptanceExpiry expiry) {
        this.expiry = expiry;
    }

    @Scheduled(fixedDelayString = "${assay.findings.expiry-check-interval:PT5M}",
            initialDelayString = "${assay.findings.expiry-check-interval:PT5M}")
    void expireRiskAcceptances() {
        // Drain a backlog (e.g. after downtime) in batches, each its own transaction.
        int reopened;
        do {
            reopened = expiry.expireDue();
        } while (reopened == RiskAcceptanceExpiry.BATCH);
    }
}

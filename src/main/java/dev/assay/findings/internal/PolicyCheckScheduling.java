package dev.assay.findings.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Runs the {@link PolicyEvaluation} periodically ({@code assay.findings.policy-check-interval},
 * default 15 minutes, first one minute after start). It is idempotent, so several instances may run
 * it at once without harm. {@code assay.findings.policy-checks-scheduled=false} turns it off (tests
 * call the evaluation themselves).
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@ConditionalOnProperty(name = "assay.findings.policy-checks-scheduled", havingValue = "true", matchIfMissing = true)
class PolicyCheckScheduling {

    private static final Logger log = LoggerFactory.getLogger(PolicyCheckScheduling.class);

    private final PolicyEvaluation evaluation;

    PolicyCheckScheduling(PolicyEvaluation evaluation) {
        this.evaluation = evaluation;
    }

    @Scheduled(fixedDelayString = "${assay.findings.policy-check-interval:PT15M}", initialDelayString = "PT1M")
    void checkPolicies() {
        PolicyEvaluation.Outcome outcome = evaluation.evaluate();
        log.info("Policy check: {} violation(s) seen, {} new finding(s), {} reopened, {} fixed", outcome.violationsSeen(),
                outcome.created(), outcome.reopened(), outcome.fixed());
    }
}

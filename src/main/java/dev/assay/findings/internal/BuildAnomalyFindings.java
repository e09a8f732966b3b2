package dev.assay.findings.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.event.TransactionalEventListener;

import dev.assay.builds.BuildAnomalyDetected;
import dev.assay.findings.FindingsIntake;
import dev.assay.findings.Policy;
import dev.assay.findings.PolicyViolation;
import dev.assay.findings.Severity;

/**
 * A build duration anomaly (from the builds feature) becomes a {@link Severity#MEDIUM} policy
 * finding of the service, recorded after the run's transaction committed, in a transaction of its
 * own; the same run reported again refreshes its finding.
 */
@Component
class BuildAnomalyFindings {

    static final Severity SEVERITY = Severity.MEDIUM;

    private static final Logger log = LoggerFactory.getLogger(BuildAnomalyFindings.class);

    private final FindingsIntake intake;

    BuildAnomalyFindings(FindingsIntake intake) {
        this.intake = intake;
    }

    @TransactionalEventListener(fallbackExecution = true)
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void on(BuildAnomalyDetected anomaly) {
        try {
            intake.reportPolicy(new PolicyViolation(anomaly.serviceName(), Policy.BUILD_ANOMALY, anomaly.subject(), SEVERITY,
                    anomaly.title(), anomaly.detail(), "builds", anomaly.observedAt()));
        } catch (IllegalArgumentException e) {
            log.warn("Build anomaly of {} ({}) not recorded as a finding: {}", anomaly.serviceName(), anomaly.subject(),
                    e.getMessage());
        }
    }
}

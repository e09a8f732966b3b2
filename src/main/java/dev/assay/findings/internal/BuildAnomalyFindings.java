package dev.assay.findings.internal;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.assay.builds.BuildAnomalyDetected;
import dev.assay.findings.FindingsIntake;
import dev.assay.findings.Policy;
import dev.assay.findings.PolicyViolation;
import dev.assay.findings.Severity;

/**
 * A build duration anomaly (from the builds feature) becomes a policy finding of the service, in the
 * transaction that stored the run: the run and its finding commit together.
 */
@Component
class BuildAnomalyFindings {

    private final FindingsIntake intake;

    BuildAnomalyFindings(FindingsIntake intake) {
        this.intake = intake;
    }

    @EventListener
    void on(BuildAnomalyDetected anomaly) {
        intake.reportPolicy(new PolicyViolation(anomaly.serviceName(), Policy.BUILD_ANOMALY, anomaly.subject(),
                Severity.MEDIUM, anomaly.title(), anomaly.detail(), "builds", anomaly.observedAt()));
    }
}

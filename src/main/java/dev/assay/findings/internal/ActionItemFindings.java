package dev.assay.findings.internal;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.event.TransactionalEventListener;

import dev.assay.findings.FindingsIntake;
import dev.assay.findings.Policy;
import dev.assay.findings.PolicyViolation;
import dev.assay.findings.Severity;
import dev.assay.incidents.ReviewActionCompleted;
import dev.assay.incidents.ReviewActionRaised;
import dev.assay.playbooks.DrillActionRaised;

/**
 * Action items raised by post-incident reviews and by drills become policy findings of the services
 * they concern, so they sit in the owners' queues with an SLA like every other finding. They are
 * rated {@link Severity#MEDIUM}; the owner and due date the reviewer wrote are kept in the detail.
 * The finding is recorded after the action's transaction committed, in a transaction of its own; a
 * review's action item marked done fixes its finding.
 */
@Component
class ActionItemFindings {

    static final Severity SEVERITY = Severity.MEDIUM;

    private static final Logger log = LoggerFactory.getLogger(ActionItemFindings.class);

    private final FindingsIntake intake;

    ActionItemFindings(FindingsIntake intake) {
        this.intake = intake;
    }

    @TransactionalEventListener(fallbackExecution = true)
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void on(ReviewActionRaised action) {
        String detail = "Action item of the review of incident " + action.incidentReference() + " (" + action.incidentTitle()
                + "), raised by " + action.raisedBy() + "; owner: " + orNone(action.owner()) + "; due: "
                + (action.dueDate() == null ? "not set" : action.dueDate()) + ".";
        report(action.services(), Policy.REVIEW_ACTION_ITEM, "review-action:" + action.actionId(), action.description(), detail,
                "incidents", action.raisedAt());
    }

    @TransactionalEventListener(fallbackExecution = true)
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void on(DrillActionRaised action) {
        String detail = "Action item of drill " + action.drillId() + " of runbook " + action.runbookSlug() + ", raised by "
                + action.raisedBy() + "; owner: " + orNone(action.owner()) + "; due: "
                + (action.dueOn() == null ? "not set" : action.dueOn()) + ".";
        report(action.services(), Policy.DRILL_ACTION_ITEM, "drill-action:" + action.actionId(), action.title(), detail,
                "playbooks", action.raisedAt());
    }

    @TransactionalEventListener(fallbackExecution = true)
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void on(ReviewActionCompleted done) {
        for (String service : done.services()) {
            intake.resolvePolicy(service, Policy.REVIEW_ACTION_ITEM, "review-action:" + done.actionId(),
                    "incidents (done by " + done.completedBy() + ")", done.completedAt());
        }
    }

    private void report(List<String> services, Policy policy, String subject, String title, String detail, String reportedBy,
            java.time.Instant at) {
        if (services.isEmpty()) {
            log.info("{} {} concerns no catalog service; no finding is made", policy.title(), subject);
            return;
        }
        for (String service : services) {
            intake.reportPolicy(new PolicyViolation(service, policy, subject, SEVERITY, policy.title() + ": " + title, detail,
                    reportedBy, at));
        }
    }

    private static String orNone(String owner) {
        return owner == null || owner.isBlank() ? "not named" : owner;
    }
}

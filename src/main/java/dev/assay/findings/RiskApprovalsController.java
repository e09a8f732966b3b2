package dev.assay.findings;

import java.time.Duration;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import dev.assay.findings.internal.FindingAccess;
import dev.assay.findings.internal.FindingAccess.UserAccess;
import dev.assay.findings.internal.FindingWorkflow;
import dev.assay.findings.internal.RiskAcceptanceExpiry;

/**
 * {@code /findings/approvals}: SECURITY's queue of pending risk acceptances (with approve / reject
 * for requests made by someone else), and the acceptances that run out within 30 days. Others see
 * the requests of the findings they may see, without the decision buttons.
 */
@Controller
class RiskApprovalsController {

    static final Duration EXPIRING_WITHIN = Duration.ofDays(30);

    private final FindingAccess access;
    private final FindingWorkflow workflow;
    private final RiskAcceptanceExpiry expiry;

    RiskApprovalsController(FindingAccess access, FindingWorkflow workflow, RiskAcceptanceExpiry expiry) {
        this.access = access;
        this.workflow = workflow;
        this.expiry = expiry;
    }

    @GetMapping("/findings/approvals")
    String approvals(Authentication user, Model model) {
        expiry.expireDue();
        UserAccess me = access.of(user);
        model.addAttribute("pending", workflow.pending(me));
        model.addAttribute("expiring", workflow.expiringWithin(me, EXPIRING_WITHIN));
        model.addAttribute("isSecurity", me.isSecurity());
        return "findings/approvals";
    }
}

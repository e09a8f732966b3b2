package dev.assay.findings;

import java.io.IOException;
import java.util.List;
import java.util.Set;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;

import dev.assay.findings.internal.FindingAccess;
import dev.assay.findings.internal.FindingAccess.UserAccess;
import dev.assay.findings.internal.FindingSearch;
import dev.assay.findings.internal.RiskAcceptanceExpiry;

/**
 * The service owner's queue ({@code /my-services/queue}): the findings of the services the user's
 * teams own (TeamMembership + the catalog's owning team), open and in progress by default, overdue
 * first then due soonest, keyset-paged; filters, sort, bulk actions, SLA countdowns, CSV.
 */
@Controller
class RemediationQueueController {

    private final FindingAccess access;
    private final FindingSearch search;
    private final FindingLists lists;
    private final RiskAcceptanceExpiry expiry;

    RemediationQueueController(FindingAccess access, FindingSearch search, FindingLists lists, RiskAcceptanceExpiry expiry) {
        this.access = access;
        this.search = search;
        this.lists = lists;
        this.expiry = expiry;
    }

    @GetMapping("/my-services/queue")
    String queue(@ModelAttribute("params") FindingParams params, Authentication user, Model model) {
        expiry.expireDue();
        UserAccess me = access.of(user);
        Set<String> mine = me.ownedServices();
        if (params.team() != null && !params.team().isBlank() && !me.teams().contains(params.team().trim())) {
            throw new IllegalArgumentException("You are not a member of team '" + params.team().trim()
                    + "'; the queue shows your teams' services (all findings are under /findings)");
        }
        lists.populate(model, me, params, params.toFilter(mine, true), "/my-services/queue", "/my-services/queue.csv",
                me.teams(), List.copyOf(mine));
        model.addAttribute("myTeams", List.copyOf(me.teams()));
        return "findings/queue";
    }

    @GetMapping("/my-services/queue.csv")
    void csv(@ModelAttribute FindingParams params, Authentication user, HttpServletResponse response) throws IOException {
        expiry.expireDue();
        UserAccess me = access.of(user);
        FindingCsv.stream(response, "my-queue", search, me, params.toFilter(me.ownedServices(), true), params.toSort());
    }
}

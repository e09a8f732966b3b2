package dev.assay.dashboard;

import java.util.List;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import dev.assay.artifacts.ArtifactFigures;
import dev.assay.catalog.Catalog;
import dev.assay.playbooks.PlaybookFigures;

/**
 * The landing page. Only figures backed by collected facts are shown with a value; the tiles of
 * features not built yet say so instead of showing a placeholder number.
 */
@Controller
class DashboardController {

    /** Headline figures whose collectors are not built yet, in the order the dashboard shows them. */
    static final List<String> NOT_BUILT = List.of();
    /** DESIGN §5: artifacts published in the last 30 days, plus the newest of each repository. */
    static final java.time.Duration ARTIFACT_WINDOW = java.time.Duration.ofDays(30);

    private final Catalog catalog;
    private final PlaybookFigures playbooks;
    private final ArtifactFigures artifacts;

    DashboardController(Catalog catalog, PlaybookFigures playbooks, ArtifactFigures artifacts) {
        this.catalog = catalog;
        this.playbooks = playbooks;
        this.artifacts = artifacts;
    }

    @GetMapping("/")
    String dashboard(Model model) {
        model.addAttribute("ownership", catalog.ownershipCoverage(null, null));
        model.addAttribute("drills", playbooks.drillCoverage());
        model.addAttribute("freshness", playbooks.runbookFreshness(null, null));
        model.addAttribute("coverage", artifacts.coverage(ARTIFACT_WINDOW, null, null));
        model.addAttribute("teams", catalog.teams());
        model.addAttribute("notBuilt", NOT_BUILT);
        return "dashboard/dashboard";
    }

    @GetMapping("/definitions")
    String definitions() {
        return "dashboard/definitions";
    }
}

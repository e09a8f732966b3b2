package dev.assay.dashboard;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * Hands the layout the data freshness line of every page. The attribute is the service itself: the
 * summary is computed only when a page renders it (the API never pays for it).
 */
@ControllerAdvice
class FreshnessAdvice {

    private final DataFreshness freshness;

    FreshnessAdvice(DataFreshness freshness) {
        this.freshness = freshness;
    }

    @ModelAttribute("dataFreshness")
    DataFreshness dataFreshness() {
        return freshness;
    }
}

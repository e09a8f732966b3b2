package dev.assay.dashboard;

/** The colour of a figure with its text equivalent: good, fair, poor, or none (no figure). */
final class Rating {

    static final String GOOD = "good";
    static final String FAIR = "fair";
    static final String POOR = "poor";
    static final String NONE = "none";

    private Rating() {
    }

    /** Coverage and compliance: at least 90% good, at least 70% fair, else poor. */
    static String ofRatio(Double ratio) {
        if (ratio == null) {
            return NONE;
        }
        return ratio >= 0.9 ? GOOD : ratio >= 0.7 ? FAIR : POOR;
    }

    /** Counts of things that should be zero (overdue criticals): 0 good, up to 3 fair, else poor. */
    static String ofCount(Long count) {
        if (count == null) {
            return NONE;
        }
        return count == 0 ? GOOD : count <= 3 ? FAIR : POOR;
    }
}

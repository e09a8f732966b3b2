package dev.assay.findings;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/** The lifecycle of a finding (DESIGN §4: exactly these five, as {@code ?status=} spells them). */
public enum FindingStatus {

    OPEN, IN_PROGRESS, FIXED, RISK_ACCEPTED, FALSE_POSITIVE;

    /** The statuses that still need work: the owner's queue shows these by default. */
    public static final Set<FindingStatus> ACTIONABLE = Set.of(OPEN, IN_PROGRESS);

    public String slug() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** "in progress", for pages. */
    public String label() {
        return slug().replace('_', ' ');
    }

    public boolean actionable() {
        return ACTIONABLE.contains(this);
    }

    public static FindingStatus parse(String slug) {
        return Arrays.stream(values()).filter(s -> s.slug().equals(slug == null ? null : slug.trim().toLowerCase(Locale.ROOT)))
                .findFirst().orElseThrow(() -> new IllegalArgumentException(
                        "status '" + slug + "' must be one of open, in_progress, fixed, risk_accepted, false_positive"));
    }
}

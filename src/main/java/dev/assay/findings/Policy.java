package dev.assay.findings;

import java.util.Arrays;
import java.util.Locale;

/**
 * The policies whose violations are findings. Each is raised by the feature that knows the facts
 * (artifacts: signatures, SBOMs, scans, licences, base images; catalog ownership; builds: anomalies;
 * incidents and playbooks: action items of reviews and drills) through {@link FindingsIntake}.
 */
public enum Policy {

    /** An artifact in scope has no signature at all. */
    UNSIGNED_ARTIFACT("Unsigned artifact"),
    /** A signature is present but did not verify against a trusted key or identity. */
    UNVERIFIED_SIGNATURE("Signature not verified"),
    MISSING_SBOM("Missing SBOM"),
    /** The newest scan is older than the freshness limit. */
    STALE_SCAN("Stale scan"),
    NO_OWNER("No owner"),
    BUILD_ANOMALY("Build anomaly"),
    DISALLOWED_LICENSE("Disallowed license"),
    DISALLOWED_BASE_IMAGE("Disallowed base image"),
    REVIEW_ACTION_ITEM("Post-incident review action item"),
    DRILL_ACTION_ITEM("Drill action item");

    private final String title;

    Policy(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }

    /** e.g. {@code unsigned-artifact}: the rule id of the finding and its name in URLs. */
    public String slug() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Policy parse(String slug) {
        return Arrays.stream(values()).filter(p -> p.slug().equals(slug == null ? null : slug.trim().toLowerCase(Locale.ROOT)))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("unknown policy '" + slug + "'"));
    }
}

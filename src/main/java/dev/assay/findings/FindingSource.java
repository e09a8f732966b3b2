package dev.assay.findings;

import java.util.Arrays;
import java.util.Locale;

/**
 * Where a finding comes from: a scanner's vulnerability, secret or infrastructure-as-code result,
 * or a policy (unsigned artifact, missing SBOM, ...). The {@code source} filter of the pages and API.
 */
public enum FindingSource {

    VULNERABILITY, SECRET, IAC, POLICY;

    public String slug() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static FindingSource parse(String slug) {
        return Arrays.stream(values()).filter(s -> s.slug().equals(slug == null ? null : slug.trim().toLowerCase(Locale.ROOT)))
                .findFirst().orElseThrow(() -> new IllegalArgumentException(
                        "source '" + slug + "' must be one of vulnerability, secret, iac, policy"));
    }
}

package dev.assay.artifacts.internal;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the artifacts feature ({@code assay.artifacts.*}).
 *
 * @param licenses          the license policy applied to SBOM components
 * @param scanFreshness     a scan older than this does not count for scanned coverage (DESIGN §5: 7 days)
 * @param window            the default window of the coverage figures (DESIGN §5: 30 days)
 * @param maxManifestBytes  a larger manifest or index from a registry is quarantined (the distribution
 *                          spec asks registries to accept manifests of at least 4 MiB)
 * @param maxBlobBytes      a larger evidence blob (signature payload, attestation, SBOM) is quarantined
 * @param maxTagsPerRepository the collector looks at the newest this many tags of a repository at most
 * @param sigstore          keyless (Sigstore) signature verification
 */
@ConfigurationProperties("assay.artifacts")
public record ArtifactSettings(@DefaultValue Licenses licenses, @DefaultValue("P7D") Duration scanFreshness,
        @DefaultValue("P30D") Duration window, @DefaultValue("4194304") long maxManifestBytes,
        @DefaultValue("16777216") long maxBlobBytes, @DefaultValue("1000") int maxTagsPerRepository,
        @DefaultValue Sigstore sigstore) {

    /**
     * @param deny  SPDX ids a component may not be licensed under (default: the network-copyleft
     *              licenses most companies refuse to ship)
     * @param allow when not empty, only these SPDX ids are allowed
     */
    public record Licenses(@DefaultValue({"AGPL-3.0-only", "AGPL-3.0-or-later", "SSPL-1.0"}) List<String> deny,
            @DefaultValue({}) List<String> allow) {
    }

    /**
     * @param trustedRoot a Sigstore {@code trusted_root.json} (file path or Spring resource location);
     *                    none: keyless signatures stay "present, not verified"
     * @param identities  keyless signers trusted for the whole organisation (more per team or service
     *                    on the admin page)
     */
    public record Sigstore(String trustedRoot, List<Identity> identities) {

        public List<Identity> identities() {
            return identities == null ? List.of() : identities;
        }
    }

    /**
     * @param subject      the certificate's SAN URI or e-mail, exactly
     * @param subjectRegex or a regular expression the whole SAN must match
     */
    public record Identity(String issuer, String subject, String subjectRegex) {
    }

    public LicensePolicy licensePolicy() {
        return new LicensePolicy(licenses.deny(), licenses.allow());
    }
}

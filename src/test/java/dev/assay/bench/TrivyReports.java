package dev.assay.bench;

import java.util.Locale;

/**
 * Trivy JSON reports ({@code trivy image --format json}, schema version 2) of the generated
 * artifacts, shaped like src/test/resources/fixtures/scanners/trivy-image-debian-buster.json: one
 * OS-package result whose vulnerabilities are drawn from a pool of 500 (package, CVE) pairs.
 */
final class TrivyReports {

    private static final String[] SEVERITIES = {"LOW", "MEDIUM", "MEDIUM", "HIGH", "CRITICAL"};
    private static final String[] PACKAGES = {"bash", "openssl", "libc6", "zlib1g", "curl", "libxml2", "tar", "gzip",
            "libssh2-1", "libgnutls30"};

    private TrivyReports() {
    }

    static String report(Organisation.ScannedArtifact artifact) {
        StringBuilder vulnerabilities = new StringBuilder();
        for (int v : artifact.vulnerabilities().stream().distinct().sorted().toList()) {
            if (!vulnerabilities.isEmpty()) {
                vulnerabilities.append(',');
            }
            vulnerabilities.append(vulnerability(v));
        }
        String repository = artifact.service().repository();
        return """
                {
                  "SchemaVersion": 2,
                  "Trivy": {"Version": "0.58.1"},
                  "CreatedAt": "%1$s",
                  "ArtifactName": "%2$s@%3$s",
                  "ArtifactType": "container_image",
                  "Metadata": {
                    "OS": {"Family": "debian", "Name": "12.8"},
                    "ImageID": "%3$s",
                    "RepoTags": ["%2$s:latest"],
                    "RepoDigests": ["%2$s@%3$s"],
                    "Reference": "%2$s@%3$s"
                  },
                  "Results": [
                    {
                      "Target": "%2$s@%3$s (debian 12.8)",
                      "Class": "os-pkgs",
                      "Type": "debian",
                      "Vulnerabilities": [%4$s]
                    }
                  ]
                }""".formatted(artifact.scannedAt(), repository, artifact.digest(), vulnerabilities);
    }

    private static String vulnerability(int v) {
        String pkg = PACKAGES[v % PACKAGES.length];
        String cve = "CVE-2024-" + (20_000 + v);
        String version = "1." + (v % 7) + "-" + (v % 3 + 1);
        String severity = SEVERITIES[v % SEVERITIES.length];
        return """
                {"VulnerabilityID": "%1$s", "PkgID": "%2$s@%3$s", "PkgName": "%2$s",
                 "PkgIdentifier": {"PURL": "pkg:deb/debian/%2$s@%3$s?arch=amd64&distro=debian-12.8"},
                 "InstalledVersion": "%3$s", "FixedVersion": "%3$s+deb12u1", "Status": "fixed",
                 "SeveritySource": "nvd", "PrimaryURL": "https://avd.aquasec.com/nvd/%4$s",
                 "Title": "%2$s: generated benchmark vulnerability %1$s", "Severity": "%5$s",
                 "CVSS": {"nvd": {"V3Vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", "V3Score": %6$s}}}"""
                .formatted(cve, pkg, version, cve.toLowerCase(Locale.ROOT), severity, 3.0 + (v % 7));
    }
}

package dev.assay.findings.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import dev.assay.findings.FindingSource;

/**
 * The stable identity of a finding within its service: source, rule (vulnerability id or policy),
 * subject (package or policy subject) and installed version. Two scanners that report the same CVE
 * on the same package and version produce the same identity, hence one finding.
 * <p>
 * The parts are joined with a separator that cannot occur in them (a NUL character), so
 * {@code ("a|b", "c")} and {@code ("a", "b|c")} never collide; ids are compared as written except
 * for case, since scanners disagree on the case of {@code CVE-…} and {@code GHSA-…} ids.
 */
public record FindingIdentity(FindingSource source, String ruleId, String subject, String installedVersion) {

    public FindingIdentity {
        ruleId = ruleId.trim();
        subject = subject.trim();
        installedVersion = installedVersion == null ? "" : installedVersion.trim();
    }

    public String sha256() {
        String text = source.slug() + '\0' + ruleId.toUpperCase(java.util.Locale.ROOT) + '\0' + subject + '\0' + installedVersion;
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}

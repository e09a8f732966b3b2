package dev.assay.artifacts.internal.verify;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A keyless signer Assay trusts: the OIDC issuer Fulcio recorded and the certificate's subject (the
 * SAN URI or e-mail), given exactly or as a regular expression matching the whole subject.
 *
 * @param scope where the trust comes from: {@code organisation}, {@code team:<name>} or {@code service:<name>}
 */
public record ExpectedIdentity(String issuer, String subject, String subjectRegex, String scope) {

    public ExpectedIdentity {
        if (issuer == null || issuer.isBlank()) {
            throw new IllegalArgumentException("an expected Sigstore identity needs an issuer");
        }
        if ((subject == null || subject.isBlank()) == (subjectRegex == null || subjectRegex.isBlank())) {
            throw new IllegalArgumentException("an expected Sigstore identity needs exactly one of subject and subject-regex"
                    + " (issuer " + issuer + ")");
        }
        if (subjectRegex != null && !subjectRegex.isBlank()) {
            try {
                Pattern.compile(subjectRegex);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("the subject-regex of an expected Sigstore identity is not a regular expression: "
                        + e.getDescription());
            }
        }
    }

    public boolean matches(CertificateIdentity.Claim claim) {
        if (claim.issuer() == null || !issuer.equals(claim.issuer())) {
            return false;
        }
        return claim.subjects().stream().anyMatch(s -> subject != null && !subject.isBlank() ? subject.equals(s)
                : Pattern.compile(subjectRegex).matcher(s).matches());
    }

    public String describe() {
        return (subject != null && !subject.isBlank() ? subject : "~" + subjectRegex) + " from " + issuer + " (" + scope + ")";
    }
}

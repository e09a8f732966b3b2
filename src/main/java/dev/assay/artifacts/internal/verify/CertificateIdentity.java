package dev.assay.artifacts.internal.verify;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * The identity a Fulcio certificate claims: its subject alternative name and the OIDC issuer
 * extension. Shown for keyless signatures, and matched against the expected identities once the
 * certificate is verified.
 */
public final class CertificateIdentity {

    /** What a certificate claims: its SAN URIs and e-mails, and the OIDC issuer (null when absent). */
    public record Claim(java.util.List<String> subjects, String issuer) {
    }

    /** The identity claim of a parsed certificate. */
    public static Claim claim(X509Certificate certificate) {
        List<String> subjects = new ArrayList<>();
        try {
            Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    int type = (Integer) san.get(0);
                    if (type == 1 || type == 6) {
                        subjects.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // no readable subject: nothing can match
        }
        String issuer = extensionText(certificate, ISSUER_V2);
        return new Claim(List.copyOf(subjects), issuer != null ? issuer : extensionText(certificate, ISSUER_V1));
    }

    /** Fulcio's OIDC issuer extensions: v1 (raw bytes) and v2 (DER UTF8String). */
    private static final String ISSUER_V1 = "1.3.6.1.4.1.57264.1.1";
    private static final String ISSUER_V2 = "1.3.6.1.4.1.57264.1.8";

    private CertificateIdentity() {
    }

    public static X509Certificate parse(String pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException | ClassCastException e) {
            throw new IllegalArgumentException("the certificate is not a readable X.509 PEM certificate");
        }
    }

    /** "email:mitr@redhat.com (issuer https://github.com/login/oauth)", or what part of it is readable. */
    public static String describe(String pem) {
        X509Certificate certificate;
        try {
            certificate = parse(pem);
        } catch (IllegalArgumentException e) {
            return "unreadable certificate";
        }
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    int type = (Integer) san.get(0);
                    String prefix = type == 1 ? "email:" : type == 6 ? "uri:" : type == 2 ? "dns:" : "";
                    names.add(prefix + san.get(1));
                }
            }
        } catch (CertificateParsingException e) {
            names.add("unreadable subject alternative name");
        }
        String issuer = extensionText(certificate, ISSUER_V2);
        issuer = issuer != null ? issuer : extensionText(certificate, ISSUER_V1);
        String identity = names.isEmpty() ? certificate.getSubjectX500Principal().getName() : String.join(", ", names);
        return issuer == null ? identity : identity + " (issuer " + issuer + ")";
    }

    private static String extensionText(X509Certificate certificate, String oid) {
        byte[] value = certificate.getExtensionValue(oid);
        if (value == null || value.length < 2 || value[0] != 0x04) {
            return null;
        }
        int[] header = lengthOf(value, 1);
        byte[] content = Arrays.copyOfRange(value, header[1], Math.min(value.length, header[1] + header[0]));
        if (content.length > 2 && content[0] == 0x0C) {
            int[] inner = lengthOf(content, 1);
            content = Arrays.copyOfRange(content, inner[1], Math.min(content.length, inner[1] + inner[0]));
        }
        String text = new String(content, StandardCharsets.UTF_8);
        return text.chars().allMatch(c -> c >= 0x20 && c < 0x7f) ? text : null;
    }

    /** A DER length at {@code at}: {length, offset of the content}. */
    private static int[] lengthOf(byte[] der, int at) {
        int first = der[at] & 0xff;
        if (first < 0x80) {
            return new int[] {first, at + 1};
        }
        int bytes = first & 0x7f;
        int length = 0;
        for (int i = 0; i < bytes && at + 1 + i < der.length; i++) {
            length = (length << 8) | (der[at + 1 + i] & 0xff);
        }
        return new int[] {length, at + 1 + bytes};
    }
}

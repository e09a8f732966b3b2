package dev.assay.artifacts.internal.parse;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.security.spec.X509EncodedKeySpec;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * A Sigstore trust root ({@code dev.sigstore.trustedroot.v1.TrustedRoot}, media type
 * {@code application/vnd.dev.sigstore.trustedroot+json;version=0.1}): the certificate authorities
 * (Fulcio) and transparency logs (Rekor) whose statements Assay accepts, each for a time window.
 * CT logs and timestamp authorities are read for the count only: Assay does not check SCTs or RFC 3161
 * timestamps (the Rekor integrated time, vouched for by the log, is the signing time).
 */
public record SigstoreTrustedRoot(List<CertificateAuthority> certificateAuthorities, List<TransparencyLog> tlogs, int ctlogs,
        int timestampAuthorities) {

    /** A time window; {@code end} null when open. */
    public record Validity(Instant start, Instant end) {

        public boolean contains(Instant time) {
            return (start == null || !time.isBefore(start)) && (end == null || !time.isAfter(end));
        }

        @Override
        public String toString() {
            return "from " + (start == null ? "the beginning" : start) + (end == null ? "" : " to " + end);
        }
    }

    /** @param chain leaf-most first (intermediates, then the root) */
    public record CertificateAuthority(String uri, String subject, List<X509Certificate> chain, Validity validFor) {
    }

    public record TransparencyLog(String baseUrl, byte[] logId, PublicKey key, Validity validFor) {

        public boolean hasId(byte[] id) {
            return Arrays.equals(logId, id);
        }
    }

    /** @throws IllegalArgumentException saying what is wrong with the document */
    public static SigstoreTrustedRoot parse(JsonNode node) {
        String mediaType = Json.text(node, "mediaType");
        if (mediaType == null || !mediaType.startsWith("application/vnd.dev.sigstore.trustedroot")) {
            throw new IllegalArgumentException("not a Sigstore trusted root: mediaType must be application/vnd.dev.sigstore.trustedroot…");
        }
        List<CertificateAuthority> authorities = new ArrayList<>();
        for (JsonNode ca : Json.array(node, "certificateAuthorities")) {
            List<X509Certificate> chain = new ArrayList<>();
            for (JsonNode certificate : Json.array(ca, "certChain", "certificates")) {
                chain.add(certificate(Base64s.decode(Json.text(certificate, "rawBytes"), "certificateAuthorities certChain rawBytes")));
            }
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("a certificate authority of the trusted root has no certChain");
            }
            String subject = Json.text(ca, "subject", "organization") + "/" + Json.text(ca, "subject", "commonName");
            authorities.add(new CertificateAuthority(Json.text(ca, "uri"), subject, List.copyOf(chain), validity(Json.at(ca, "validFor"))));
        }
        List<TransparencyLog> logs = new ArrayList<>();
        for (JsonNode tlog : Json.array(node, "tlogs")) {
            PublicKey key = publicKey(Json.text(tlog, "publicKey", "keyDetails"), Base64s.decode(Json.text(tlog, "publicKey", "rawBytes"), "tlogs publicKey rawBytes"));
            logs.add(new TransparencyLog(Json.text(tlog, "baseUrl"), Base64s.decode(Json.text(tlog, "logId", "keyId"), "tlogs logId"),
                    key, validity(Json.at(tlog, "publicKey", "validFor"))));
        }
        if (authorities.isEmpty() || logs.isEmpty()) {
            throw new IllegalArgumentException("the trusted root names no certificate authority or no transparency log");
        }
        return new SigstoreTrustedRoot(List.copyOf(authorities), List.copyOf(logs), Json.array(node, "ctlogs").size(),
                Json.array(node, "timestampAuthorities").size());
    }

    public static X509Certificate certificate(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | ClassCastException e) {
            throw new IllegalArgumentException("not a readable X.509 certificate");
        }
    }

    /** A log key by its keyDetails (PKIX_ECDSA_P256_SHA_256, PKIX_ED25519, PKIX_RSA_…). */
    private static PublicKey publicKey(String details, byte[] der) {
        String algorithm = details == null ? "EC" : details.contains("ED25519") ? "Ed25519" : details.contains("RSA") ? "RSA" : "EC";
        try {
            return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("a transparency-log key of the trusted root (" + details + ") cannot be read");
        }
    }

    private static Validity validity(JsonNode node) {
        return new Validity(instant(Json.text(node, "start")), instant(Json.text(node, "end")));
    }

    private static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an RFC 3339 time in validFor: " + text);
        }
    }
}

package dev.assay.artifacts.internal.verify;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM public keys as signing tools write them ({@code -----BEGIN PUBLIC KEY-----}, SubjectPublicKeyInfo):
 * ECDSA (P-256, P-384, P-521), RSA and Ed25519, read with the JDK alone.
 */
public final class PublicKeys {

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN PUBLIC KEY-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END PUBLIC KEY-----");

    private PublicKeys() {
    }

    /** @throws IllegalArgumentException saying why the text is not a usable public key */
    public static PublicKey parsePem(String pem) {
        if (pem == null) {
            throw new IllegalArgumentException("no public key given");
        }
        Matcher m = PEM.matcher(pem);
        if (!m.find()) {
            throw new IllegalArgumentException("not a PEM public key: expected -----BEGIN PUBLIC KEY----- … -----END PUBLIC KEY-----");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the PEM public key is not valid base64");
        }
        return fromDer(der);
    }

    public static PublicKey fromDer(byte[] der) {
        for (String algorithm : new String[] {"EC", "RSA", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            } catch (InvalidKeySpecException | NoSuchAlgorithmException | ClassCastException e) {
                // try the next algorithm: SubjectPublicKeyInfo names its own, the JDK wants it named up front
            }
        }
        throw new IllegalArgumentException("the public key is not an ECDSA, RSA or Ed25519 SubjectPublicKeyInfo");
    }

    /** Lower-case hex SHA-256 of the DER SubjectPublicKeyInfo: the key's identity in Assay. */
    public static String fingerprint(PublicKey key) {
        return HexFormat.of().formatHex(sha256(key.getEncoded()));
    }

    /**
     * The OpenSSH fingerprint {@code SHA256:<unpadded base64>} of the key's SSH wire form, which is
     * how the npm registry names its attestation keys (e.g. {@code SHA256:jl3bwswu…}); null for a key
     * type SSH has no form for.
     */
    public static String sshFingerprint(PublicKey key) {
        java.io.ByteArrayOutputStream blob = new java.io.ByteArrayOutputStream();
        if (key instanceof ECPublicKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            String curve = bits <= 256 ? "nistp256" : bits <= 384 ? "nistp384" : "nistp521";
            int size = (bits + 7) / 8;
            byte[] point = new byte[1 + 2 * size];
            point[0] = 4;
            copyUnsigned(ec.getW().getAffineX().toByteArray(), point, 1, size);
            copyUnsigned(ec.getW().getAffineY().toByteArray(), point, 1 + size, size);
            sshString(blob, ("ecdsa-sha2-" + curve).getBytes(StandardCharsets.US_ASCII));
            sshString(blob, curve.getBytes(StandardCharsets.US_ASCII));
            sshString(blob, point);
        } else if (key instanceof RSAPublicKey rsa) {
            sshString(blob, "ssh-rsa".getBytes(StandardCharsets.US_ASCII));
            sshString(blob, rsa.getPublicExponent().toByteArray());
            sshString(blob, rsa.getModulus().toByteArray());
        } else if ("EdDSA".equals(key.getAlgorithm()) || "Ed25519".equals(key.getAlgorithm())) {
            byte[] der = key.getEncoded();
            sshString(blob, "ssh-ed25519".getBytes(StandardCharsets.US_ASCII));
            sshString(blob, java.util.Arrays.copyOfRange(der, der.length - 32, der.length));
        } else {
            return null;
        }
        return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(sha256(blob.toByteArray()));
    }

    private static void sshString(java.io.ByteArrayOutputStream out, byte[] value) {
        out.write(value.length >>> 24);
        out.write(value.length >>> 16);
        out.write(value.length >>> 8);
        out.write(value.length);
        out.writeBytes(value);
    }

    /** A big-endian unsigned integer into a fixed-width field (BigInteger adds a sign byte or drops leading zeros). */
    private static void copyUnsigned(byte[] value, byte[] into, int offset, int size) {
        int start = Math.max(0, value.length - size);
        int length = value.length - start;
        System.arraycopy(value, start, into, offset + size - length, length);
    }

    /** "ECDSA P-256", "RSA 3072", "Ed25519". */
    public static String describe(PublicKey key) {
        if (key instanceof ECPublicKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            return "ECDSA P-" + bits;
        }
        if (key instanceof RSAPublicKey rsa) {
            return "RSA " + rsa.getModulus().bitLength();
        }
        return key.getAlgorithm().equals("EdDSA") ? "Ed25519" : key.getAlgorithm();
    }

    public static String toPem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

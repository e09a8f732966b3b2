package dev.assay.artifacts.internal.verify;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;

/**
 * Verifies one signature with one key, in the schemes cosign, sigstore and in-toto sign with:
 * ECDSA with the hash matching the curve (P-256/SHA-256, P-384/SHA-384, P-521/SHA-512, signature in
 * ASN.1 DER), RSA PKCS#1 v1.5 and RSASSA-PSS with SHA-256 (salt 32 bytes, the in-toto / securesystemslib
 * choice, or the maximum salt some signers use), and pure Ed25519.
 */
public final class SignatureSchemes {

    private SignatureSchemes() {
    }

    public static boolean verify(PublicKey key, byte[] data, byte[] signature) {
        if (key instanceof ECPublicKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            String algorithm = bits <= 256 ? "SHA256withECDSA" : bits <= 384 ? "SHA384withECDSA" : "SHA512withECDSA";
            return attempt(key, algorithm, null, data, signature);
        }
        if (key instanceof RSAPublicKey rsa) {
            if (attempt(key, "SHA256withRSA", null, data, signature)) {
                return true;
            }
            if (attempt(key, "RSASSA-PSS", new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1), data,
                    signature)) {
                return true;
            }
            int maxSalt = (rsa.getModulus().bitLength() + 7) / 8 - 32 - 2;
            return maxSalt > 0 && attempt(key, "RSASSA-PSS",
                    new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, maxSalt, 1), data, signature);
        }
        if ("EdDSA".equals(key.getAlgorithm()) || "Ed25519".equals(key.getAlgorithm())) {
            return attempt(key, "Ed25519", null, data, signature);
        }
        return false;
    }

    /**
     * Verifies an ECDSA signature over a digest computed by someone else (a Sigstore message signature
     * states the artifact's SHA-256 instead of carrying the artifact): "NONEwithECDSA" over the digest
     * equals "SHA256withECDSA" over the data it was computed from.
     */
    public static boolean verifyPrehashed(PublicKey key, byte[] digest, byte[] signature) {
        if (key instanceof ECPublicKey) {
            return attempt(key, "NONEwithECDSA", null, digest, signature);
        }
        return false;
    }

    private static boolean attempt(PublicKey key, String algorithm, PSSParameterSpec pss, byte[] data, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance(algorithm);
            if (pss != null) {
                verifier.setParameter(pss);
            }
            verifier.initVerify(key);
            verifier.update(data);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            // a malformed signature (not DER, wrong length) does not verify; it is not an error of Assay
            return false;
        }
    }
}

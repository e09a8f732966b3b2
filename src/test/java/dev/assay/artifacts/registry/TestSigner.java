package dev.assay.artifacts.registry;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

import dev.assay.artifacts.internal.verify.PublicKeys;

/**
 * An ECDSA P-256 key pair made for one test run, signing the way cosign does: SHA-256 with ECDSA,
 * ASN.1 DER signature, base64. (The published cosign samples, whose private keys are not published,
 * are checked in SignatureInteropTests.) The private key never leaves the test's memory.
 */
public final class TestSigner {

    private final KeyPair pair;

    public TestSigner() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            this.pair = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String publicKeyPem() {
        return PublicKeys.toPem(pair.getPublic());
    }

    public String sign(byte[] data) {
        try {
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(pair.getPrivate());
            signature.update(data);
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A cosign simple-signing payload for an image digest, as cosign writes it (no trailing newline). */
    public static String simpleSigningPayload(String dockerReference, String digest) {
        return "{\"critical\":{\"identity\":{\"docker-reference\":\"" + dockerReference + "\"},\"image\":{\"docker-manifest-digest\":\""
                + digest + "\"},\"type\":\"cosign container image signature\"},\"optional\":null}";
    }

    /** A DSSE envelope over an in-toto statement, signed over PAE(payloadType, payload). */
    public String dsse(String statement) {
        String type = "application/vnd.in-toto+json";
        byte[] payload = statement.getBytes(StandardCharsets.UTF_8);
        byte[] pae = ("DSSEv1 " + type.length() + " " + type + " " + payload.length + " " + statement).getBytes(StandardCharsets.UTF_8);
        return "{\"payloadType\":\"" + type + "\",\"payload\":\"" + Base64.getEncoder().encodeToString(payload)
                + "\",\"signatures\":[{\"keyid\":\"\",\"sig\":\"" + sign(pae) + "\"}]}";
    }
}

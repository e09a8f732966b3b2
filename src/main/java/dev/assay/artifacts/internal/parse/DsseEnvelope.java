package dev.assay.artifacts.internal.parse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * A DSSE envelope (github.com/secure-systems-lab/dsse): the payload, its type, and signatures over the
 * pre-authentication encoding of both.
 */
public record DsseEnvelope(String payloadType, byte[] payload, List<Signature> signatures) {

    public record Signature(String keyid, byte[] sig) {
    }

    public static DsseEnvelope parse(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("a DSSE envelope must be a JSON object");
        }
        String payloadType = Json.text(node, "payloadType");
        if (payloadType == null) {
            throw new IllegalArgumentException("the DSSE envelope has no payloadType");
        }
        byte[] payload = Base64s.decode(Json.text(node, "payload"), "the DSSE payload");
        List<Signature> signatures = new ArrayList<>();
        for (JsonNode signature : Json.array(node, "signatures")) {
            signatures.add(new Signature(Json.text(signature, "keyid"), Base64s.decode(Json.text(signature, "sig"),
                    "a DSSE signature")));
        }
        return new DsseEnvelope(payloadType, payload, signatures);
    }

    /** PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths in ASCII decimal of bytes. */
    public byte[] preAuthenticationEncoding() {
        byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(type);
        out.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(payload);
        return out.toByteArray();
    }
}

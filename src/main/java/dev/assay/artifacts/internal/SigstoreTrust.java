package dev.assay.artifacts.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.stereotype.Component;

import dev.assay.artifacts.internal.parse.SigstoreTrustedRoot;
import dev.assay.artifacts.internal.verify.KeylessVerifier;
import dev.assay.artifacts.internal.verify.SignatureVerifier;
import dev.assay.common.UntrustedJson;

/**
 * The Sigstore trusted root configured by {@code assay.artifacts.sigstore.trusted-root}, read once at
 * start-up, and the signature verifier that uses it. A root that is missing or unreadable leaves keyless
 * signatures "present, not verified" with the reason, never verified.
 */
@Component
class SigstoreTrust {

    private static final long MAX_BYTES = 1024 * 1024;
    private static final Logger log = LoggerFactory.getLogger(SigstoreTrust.class);

    private final SignatureVerifier verifier;

    SigstoreTrust(ArtifactSettings settings, ResourceLoader resources, UntrustedJson json) {
        String location = settings.sigstore().trustedRoot();
        KeylessVerifier keyless;
        if (location == null || location.isBlank()) {
            keyless = KeylessVerifier.withoutRoot(json::readTree);
        } else {
            try {
                SigstoreTrustedRoot root = SigstoreTrustedRoot.parse(json.readTree(read(resources, location)));
                keyless = new KeylessVerifier(root, null, json::readTree);
                log.info("Sigstore trusted root {}: {} certificate authorities, {} transparency logs", location,
                        root.certificateAuthorities().size(), root.tlogs().size());
            } catch (RuntimeException e) {
                log.warn("Sigstore trusted root {} cannot be used: {}", location, e.getMessage());
                keyless = new KeylessVerifier(null, "the Sigstore trusted root " + location + " cannot be used ("
                        + e.getMessage() + ")", json::readTree);
            }
        }
        this.verifier = new SignatureVerifier(json::readTree, keyless);
    }

    SignatureVerifier verifier() {
        return verifier;
    }

    private static String read(ResourceLoader resources, String location) {
        Resource resource = resources.getResource(location.contains(":") ? location : "file:" + location);
        if (!resource.exists()) {
            throw new IllegalArgumentException("the file does not exist");
        }
        try (InputStream in = resource.getInputStream()) {
            byte[] bytes = in.readNBytes((int) MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new IllegalArgumentException("the file is larger than 1 MiB");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("the file cannot be read: " + e.getMessage());
        }
    }
}

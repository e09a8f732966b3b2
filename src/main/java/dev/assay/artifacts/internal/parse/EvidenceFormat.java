package dev.assay.artifacts.internal.parse;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The document formats Assay reads as evidence about artifacts, by their {@code ?format=} names. */
public enum EvidenceFormat {
    CYCLONEDX_JSON("cyclonedx-json", Set.of("sbom")),
    CYCLONEDX_XML("cyclonedx-xml", Set.of("sbom")),
    SPDX_JSON("spdx-json", Set.of("sbom")),
    TRIVY("trivy", Set.of("scan")),
    GRYPE("grype", Set.of("scan")),
    SARIF("sarif", Set.of("scan")),
    OSV("osv", Set.of("scan")),
    IN_TOTO("in-toto", Set.of("provenance")),
    DSSE("dsse", Set.of("provenance")),
    SIGSTORE_BUNDLE("sigstore-bundle", Set.of("provenance", "signature")),
    COSIGN("cosign", Set.of("signature"));

    private final String id;
    private final Set<String> kinds;

    EvidenceFormat(String id, Set<String> kinds) {
        this.id = id;
        this.kinds = kinds;
    }

    public String id() {
        return id;
    }

    public boolean suits(String kind) {
        return kinds.contains(kind);
    }

    public static Optional<EvidenceFormat> byId(String id) {
        return Arrays.stream(values()).filter(f -> f.id.equals(id.trim().toLowerCase(Locale.ROOT))).findFirst();
    }

    public static String ids() {
        return String.join(", ", Arrays.stream(values()).map(EvidenceFormat::id).toList());
    }
}

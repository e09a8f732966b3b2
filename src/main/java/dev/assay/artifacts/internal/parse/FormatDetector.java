package dev.assay.artifacts.internal.parse;

import java.util.Optional;

import tools.jackson.databind.JsonNode;

/**
 * Recognises an evidence document from its content, by the fields each format is defined by (never
 * by a file name alone): CycloneDX {@code bomFormat}, SPDX {@code spdxVersion}, SARIF
 * {@code version} 2.1.0 with {@code runs}, Trivy {@code SchemaVersion} with {@code Results} or
 * {@code ArtifactName}, Grype {@code matches} with its {@code descriptor} or {@code source}, OSV
 * records (id + affected/modified) and osv-scanner output, DSSE envelopes, in-toto Statements,
 * Sigstore bundles and cosign simple-signing signatures.
 */
public final class FormatDetector {

    private FormatDetector() {
    }

    /** Whether the text is XML (a CycloneDX XML BOM is the only XML format). */
    public static boolean isXml(String text) {
        String head = text.stripLeading();
        if (head.startsWith("\uFEFF")) {
            head = head.substring(1);
        }
        return head.startsWith("<");
    }

    public static Optional<EvidenceFormat> detectXml(String text) {
        return text.contains("http://cyclonedx.org/schema/bom/") ? Optional.of(EvidenceFormat.CYCLONEDX_XML) : Optional.empty();
    }

    public static Optional<EvidenceFormat> detect(JsonNode node) {
        if (node.isArray()) {
            return node.size() > 0 && isOsvRecord(node.get(0)) ? Optional.of(EvidenceFormat.OSV) : Optional.empty();
        }
        if (!node.isObject()) {
            return Optional.empty();
        }
        if ("CycloneDX".equals(Json.text(node, "bomFormat"))) {
            return Optional.of(EvidenceFormat.CYCLONEDX_JSON);
        }
        if (Json.text(node, "spdxVersion") != null) {
            return Optional.of(EvidenceFormat.SPDX_JSON);
        }
        if (SigstoreBundle.looksLikeBundle(node)) {
            return Optional.of(EvidenceFormat.SIGSTORE_BUNDLE);
        }
        if (Json.text(node, "payloadType") != null && node.has("payload") && node.has("signatures")) {
            return Optional.of(EvidenceFormat.DSSE);
        }
        String type = Json.text(node, "_type");
        if (type != null && type.startsWith("https://in-toto.io/Statement/")) {
            return Optional.of(EvidenceFormat.IN_TOTO);
        }
        if (CosignSignature.SIMPLE_SIGNING_MEDIA_TYPE.equals(Json.text(node, "mimeType"))) {
            return Optional.of(EvidenceFormat.COSIGN);
        }
        if (node.has("runs") && (Json.text(node, "version") != null || String.valueOf(Json.text(node, "$schema")).contains("sarif"))) {
            return Optional.of(EvidenceFormat.SARIF);
        }
        if (node.has("SchemaVersion") && (node.has("Results") || node.has("ArtifactName"))) {
            return Optional.of(EvidenceFormat.TRIVY);
        }
        if (node.has("matches") && (node.has("descriptor") || node.has("source"))) {
            return Optional.of(EvidenceFormat.GRYPE);
        }
        if (isOsvRecord(node) || node.has("vulns") || isOsvScannerOutput(node)) {
            return Optional.of(EvidenceFormat.OSV);
        }
        return Optional.empty();
    }

    private static boolean isOsvRecord(JsonNode node) {
        return node != null && node.isObject() && Json.text(node, "id") != null
                && (node.has("affected") || node.has("modified") || node.has("schema_version"));
    }

    private static boolean isOsvScannerOutput(JsonNode node) {
        for (JsonNode result : Json.array(node, "results")) {
            if (result.has("packages")) {
                return true;
            }
        }
        return false;
    }
}

package dev.assay.artifacts.internal;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

import dev.assay.artifacts.internal.parse.ArtifactRef;
import dev.assay.artifacts.internal.parse.CosignSignature;
import dev.assay.collect.FileFormat;
import dev.assay.collect.RecordRejectedException;

/**
 * Evidence documents in a {@code files} source: CycloneDX (JSON / XML), SPDX JSON, Trivy, Grype,
 * SARIF, OSV, DSSE envelopes, in-toto Statements, Sigstore bundles and cosign signatures (containers
 * "sigstore-json" form). A document that names its artifact needs nothing more; otherwise the path
 * names it (docs/artifacts.md): a folder {@code sha256-<hex>} is the digest, and the folders before
 * it, from the first that looks like a registry host (has a dot or a port, or is localhost), are the
 * repository — {@code artifacts/registry.acme.example/acme/payments-api/sha256-…/trivy.json}.
 */
@Component
class EvidenceFileFormat implements FileFormat<EvidenceIntake.Prepared> {

    private static final Pattern URI_SCHEME = Pattern.compile("^(?:[a-zA-Z][a-zA-Z0-9+.-]*:)+(?=/)");
    private static final Pattern DIGEST_FOLDER = Pattern.compile("sha256-[0-9a-f]{64}");
    private static final List<String> EXTENSIONS = List.of(".json", ".xml", ".sarif", ".jsonl", ".sig", ".intoto", ".att",
            ".spdx", ".cdx", ".sigstore", ".dsse");
    private static final List<String> MARKERS = List.of("\"bomFormat\"", "\"spdxVersion\"", "\"SchemaVersion\"", "\"matches\"",
            "\"runs\"", "\"schema_version\"", "\"payloadType\"", "\"_type\"", "application/vnd.dev.sigstore.bundle",
            CosignSignature.SIMPLE_SIGNING_MEDIA_TYPE, "http://cyclonedx.org/schema/bom/", "\"affected\"");

    private final EvidenceIntake intake;

    EvidenceFileFormat(EvidenceIntake intake) {
        this.intake = intake;
    }

    @Override
    public String name() {
        return "artifact-evidence";
    }

    @Override
    public boolean recognises(String fileName, String content) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        boolean extension = EXTENSIONS.stream().anyMatch(lower::endsWith) || content.startsWith(CosignSignature.SIGSTORE_JSON_HEADER);
        String head = content.length() > 65_536 ? content.substring(0, 65_536) : content;
        return extension && MARKERS.stream().anyMatch(head::contains);
    }

    @Override
    public EvidenceIntake.Prepared parse(String document, String fileName, String location) throws RecordRejectedException {
        try {
            return intake.prepare(new EvidenceIntake.Request(null, null, artifactOfPath(location), document, "file", null));
        } catch (IllegalArgumentException e) {
            throw new RecordRejectedException(e.getMessage(), e);
        }
    }

    @Override
    public void store(String sourceId, List<EvidenceIntake.Prepared> records) {
        for (EvidenceIntake.Prepared prepared : records) {
            intake.store(new EvidenceIntake.Prepared(prepared.kind(), prepared.format(), prepared.targets(),
                    prepared.documentSha256(), prepared.content(), prepared.origin(), sourceId));
        }
    }

    /**
     * The artifact a path names by the folder convention, or null when it names none. A location
     * outside the sources file's folder arrives as a URI ({@code file:/…}); its scheme is not a folder.
     */
    static ArtifactRef artifactOfPath(String location) {
        String path = URI_SCHEME.matcher(location.replace('\\', '/')).replaceFirst("");
        String[] parts = path.split("/");
        for (int i = 0; i < parts.length; i++) {
            if (DIGEST_FOLDER.matcher(parts[i]).matches()) {
                String digest = "sha256:" + parts[i].substring("sha256-".length());
                for (int start = 0; start < i; start++) {
                    String segment = parts[start];
                    if (segment.contains(".") && !segment.startsWith(".") || segment.contains(":") || segment.equals("localhost")) {
                        String repository = String.join("/", java.util.Arrays.copyOfRange(parts, start, i));
                        try {
                            return new ArtifactRef(repository, digest);
                        } catch (IllegalArgumentException notARepository) {
                            break;
                        }
                    }
                }
                return new ArtifactRef(null, digest);
            }
        }
        return null;
    }
}

package dev.assay.artifacts.internal.registry;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.springframework.batch.infrastructure.item.ItemProcessor;

import dev.assay.artifacts.internal.ArtifactSettings;
import dev.assay.artifacts.internal.ArtifactStore;
import dev.assay.artifacts.internal.ArtifactStore.ArtifactFacts;
import dev.assay.artifacts.internal.ArtifactStore.PlatformEntry;
import dev.assay.artifacts.internal.Digests;
import dev.assay.artifacts.internal.EvidenceIntake;
import dev.assay.artifacts.internal.parse.ArtifactRef;
import dev.assay.artifacts.internal.parse.CosignSignature;
import dev.assay.artifacts.internal.registry.OciManifest.Descriptor;
import dev.assay.collect.Cursors;
import dev.assay.collect.Quarantine;
import dev.assay.collect.SourceDefinition;
import dev.assay.common.UntrustedJson;
import tools.jackson.databind.JsonNode;

/**
 * Collects one tag: the manifest it points at (fetched by digest, its content checked against the
 * digest), the platforms of an index, and the evidence attached to the artifact: through the OCI 1.1
 * referrers API where the registry has it, else the referrers tag schema ({@code sha256-<hex>}) and
 * cosign's tags ({@code sha256-<hex>.sig}, {@code .att}, {@code .sbom}). Evidence goes through the
 * same intake as pushed documents. A tag whose manifest or evidence digests are what the cursor
 * remembers is skipped after one HEAD per tag and evidence tag.
 */
class OciArtifactProcessor implements ItemProcessor<TagRef, CollectedArtifact> {

    static final String CURSOR_PREFIX = "oci:";
    private static final long MAX_CONFIG_BYTES = 1024 * 1024;
    private static final Set<String> IMAGE_CONFIGS = Set.of("application/vnd.oci.image.config.v1+json",
            "application/vnd.docker.container.image.v1+json");
    /** Layer media types that carry documents Assay reads (everything else, image layers included, is not fetched). */
    private static final Set<String> EVIDENCE_LAYERS = Set.of("application/vnd.dsse.envelope.v1+json", "application/vnd.in-toto+json",
            "application/vnd.cyclonedx+json", "application/vnd.cyclonedx+xml", "application/spdx+json", "text/spdx+json",
            "application/sarif+json", "application/json", "application/vnd.dev.sigstore.bundle+json",
            "application/vnd.dev.sigstore.bundle.v0.3+json");

    private final SourceDefinition source;
    private final RegistryClient client;
    private final EvidenceIntake intake;
    private final Cursors cursors;
    private final Quarantine quarantine;
    private final UntrustedJson json;
    private final ArtifactSettings settings;
    private final long jobExecutionId;
    private int evidenceFailures;

    OciArtifactProcessor(SourceDefinition source, RegistryClient client, EvidenceIntake intake, Cursors cursors,
            Quarantine quarantine, UntrustedJson json, ArtifactSettings settings, long jobExecutionId) {
        this.source = source;
        this.client = client;
        this.intake = intake;
        this.cursors = cursors;
        this.quarantine = quarantine;
        this.json = json;
        this.settings = settings;
        this.jobExecutionId = jobExecutionId;
    }

    /** The referrers of an artifact and a fingerprint of them, which changes when evidence is added. */
    record Referrers(List<String> manifestDigests, String fingerprint) {
    }

    @Override
    public CollectedArtifact process(TagRef ref) {
        String scope = "repository:" + ref.name() + ":pull";
        String payload = null;
        try {
            String path = "v2/" + ref.name() + "/manifests/";
            Optional<RegistryResponse> head = client.head(path + ref.tag(), OciManifest.ACCEPT, scope);
            if (head.isEmpty()) {
                quarantine.hold(source.id(), "oci-manifest", ref.location(), null,
                        "the tag was listed but its manifest is not found (404): deleted while collecting?", jobExecutionId);
                return null;
            }
            String digest = head.get().header("Docker-Content-Digest").orElse(null);
            RegistryResponse manifestResponse = null;
            if (digest == null || !ArtifactRef.isDigest(digest)) {
                // the registry does not say: the content defines the digest
                manifestResponse = client.get(path + ref.tag(), OciManifest.ACCEPT, settings.maxManifestBytes(), scope);
                digest = Digests.ociDigest(manifestResponse.body());
            }
            Referrers referrers = referrers(ref, digest, scope);
            String cursorKey = CURSOR_PREFIX + ref.repository() + ":" + ref.tag();
            String cursorValue = digest + "|" + referrers.fingerprint();
            if (cursorValue.equals(cursors.get(source.id(), cursorKey).orElse(null))) {
                return null;
            }
            if (manifestResponse == null) {
                manifestResponse = client.get(path + digest, OciManifest.ACCEPT, settings.maxManifestBytes(), scope);
            }
            payload = manifestResponse.text();
            requireDigest(manifestResponse, digest);
            OciManifest manifest = OciManifest.parse(json.readTree(payload), manifestResponse.header("Content-Type").orElse(null));
            ArtifactRef artifact = new ArtifactRef(ref.repository(), digest);
            ArtifactFacts facts = new ArtifactFacts(manifest.mediaType(),
                    manifest.isIndex() ? ArtifactStore.KIND_INDEX : ArtifactStore.KIND_IMAGE, (long) manifestResponse.body().length,
                    true, created(ref, manifest, scope));
            List<PlatformEntry> platforms = new ArrayList<>();
            for (Descriptor d : manifest.manifests()) {
                platforms.add(new PlatformEntry(d.digest(), d.mediaType(), d.size(), d.os(), d.architecture(), d.variant(),
                        d.isAttestationManifest(), d.annotation("vnd.docker.reference.digest")));
            }
            int quarantinedBefore = evidenceFailures;
            List<EvidenceIntake.Prepared> evidence = evidence(ref, artifact, referrers, scope);
            // evidence that could not be fetched is tried again next time: the cursor does not move past it
            String cursor = evidenceFailures == quarantinedBefore ? cursorValue : digest + "|incomplete";
            return new CollectedArtifact(ref, artifact, facts, platforms, evidence, cursorKey, cursor);
        } catch (RegistryException | IllegalArgumentException e) {
            quarantine.hold(source.id(), "oci-manifest", ref.location(), payload, e.getMessage(), jobExecutionId);
            return null;
        }
    }

    /** Content fetched by digest must hash to it, and the registry's Docker-Content-Digest must agree. */
    private static void requireDigest(RegistryResponse response, String digest) {
        String actual = Digests.ociDigest(response.body());
        if (!actual.equals(digest)) {
            throw new IllegalArgumentException("digest mismatch: " + response.uri().getPath() + " answered content whose sha256 is "
                    + actual + ", not " + digest + "; not stored");
        }
        Optional<String> said = response.header("Docker-Content-Digest");
        if (said.isPresent() && !said.get().equals(digest)) {
            throw new IllegalArgumentException("digest mismatch: the registry's Docker-Content-Digest " + said.get()
                    + " does not match " + digest + "; not stored");
        }
    }

    private Referrers referrers(TagRef ref, String digest, String scope) {
        List<String> manifests = new ArrayList<>();
        StringBuilder fingerprint = new StringBuilder();
        Optional<RegistryResponse> api = Optional.empty();
        try {
            api = client.getIfPresent("v2/" + ref.name() + "/referrers/" + digest, OciManifest.OCI_INDEX,
                    settings.maxManifestBytes(), scope);
        } catch (RegistryException e) {
            if (e.status() != 400 && e.status() != 405 && e.status() != 501) {
                throw e;
            }
            // a registry without the referrers API may answer these instead of 404
        }
        if (api.isPresent() && api.get().text().contains("\"manifests\"")) {
            OciManifest index = OciManifest.parse(json.readTree(api.get().text()), OciManifest.OCI_INDEX);
            index.manifests().stream().filter(OciArtifactProcessor::evidenceType).forEach(d -> manifests.add(d.digest()));
            fingerprint.append("referrers=").append(Digests.sha256Hex(api.get().body()));
        }
        String base = "sha256-" + digest.substring("sha256:".length());
        // the OCI 1.1 referrers tag schema (an index of referrers), then cosign's own tags
        for (String suffix : new String[] {"", ".sig", ".att", ".sbom"}) {
            String tag = base + suffix;
            if (!ref.evidenceTags().contains(tag)) {
                continue;
            }
            Optional<RegistryResponse> head = client.head("v2/" + ref.name() + "/manifests/" + tag, OciManifest.ACCEPT, scope);
            if (head.isEmpty()) {
                continue;
            }
            String tagDigest = head.get().header("Docker-Content-Digest").orElse(null);
            if (tagDigest == null) {
                RegistryResponse body = client.get("v2/" + ref.name() + "/manifests/" + tag, OciManifest.ACCEPT,
                        settings.maxManifestBytes(), scope);
                tagDigest = Digests.ociDigest(body.body());
            }
            fingerprint.append(fingerprint.length() == 0 ? "" : ",").append(tag).append('=').append(tagDigest);
            if (suffix.isEmpty()) {
                RegistryResponse index = client.get("v2/" + ref.name() + "/manifests/" + tagDigest, OciManifest.ACCEPT,
                        settings.maxManifestBytes(), scope);
                requireDigest(index, tagDigest);
                OciManifest.parse(json.readTree(index.text()), OciManifest.OCI_INDEX).manifests().stream()
                        .filter(OciArtifactProcessor::evidenceType).forEach(d -> manifests.add(d.digest()));
            } else {
                manifests.add(tagDigest);
            }
        }
        return new Referrers(manifests.stream().distinct().toList(), fingerprint.length() == 0 ? "none" : fingerprint.toString());
    }

    /**
     * Which referrers are worth fetching, by their {@code artifactType}: signatures, attestations,
     * SBOMs and scan reports under any of the names tools give them; a referrer without an
     * artifactType is fetched and judged by its layers. (The referrers API filters by one
     * {@code artifactType} per request; Assay wants several kinds, so it lists all and filters here.)
     */
    static boolean evidenceType(Descriptor referrer) {
        String type = referrer.artifactType();
        if (type == null) {
            return true;
        }
        String lower = type.toLowerCase(java.util.Locale.ROOT);
        for (String word : EVIDENCE_WORDS) {
            if (lower.contains(word)) {
                return true;
            }
        }
        return false;
    }

    private static final List<String> EVIDENCE_WORDS = List.of("sig", "sigstore", "cosign", "in-toto", "dsse", "sbom", "spdx",
            "cyclonedx", "sarif", "vuln", "scan", "report", "provenance", "attestation", "slsa");

    private List<EvidenceIntake.Prepared> evidence(TagRef ref, ArtifactRef artifact, Referrers referrers, String scope) {
        List<EvidenceIntake.Prepared> prepared = new ArrayList<>();
        for (String manifestDigest : referrers.manifestDigests()) {
            String location = artifact + " referrer " + manifestDigest;
            String text = null;
            try {
                RegistryResponse response = client.get("v2/" + ref.name() + "/manifests/" + manifestDigest, OciManifest.ACCEPT,
                        settings.maxManifestBytes(), scope);
                text = response.text();
                requireDigest(response, manifestDigest);
                OciManifest manifest = OciManifest.parse(json.readTree(text), response.header("Content-Type").orElse(null));
                for (Descriptor layer : manifest.layers()) {
                    prepared.addAll(layer(ref, artifact, layer, location, scope));
                }
            } catch (RegistryException | IllegalArgumentException e) {
                quarantine.hold(source.id(), "oci-evidence", location, text, e.getMessage(), jobExecutionId);
                evidenceFailures++;
            }
        }
        return prepared;
    }

    private List<EvidenceIntake.Prepared> layer(TagRef ref, ArtifactRef artifact, Descriptor layer, String location, String scope) {
        String mediaType = layer.mediaType() == null ? "" : layer.mediaType().split(";")[0].trim();
        boolean signature = CosignSignature.SIMPLE_SIGNING_MEDIA_TYPE.equals(mediaType);
        if (!signature && !EVIDENCE_LAYERS.contains(mediaType) && !mediaType.startsWith("application/vnd.dev.sigstore.bundle")) {
            return List.of();
        }
        String where = location + " layer " + layer.digest();
        String text = null;
        try {
            if (layer.size() != null && layer.size() > settings.maxBlobBytes()) {
                throw new IllegalArgumentException("the layer declares " + layer.size() + " bytes, more than the limit of "
                        + settings.maxBlobBytes());
            }
            RegistryResponse blob = client.get("v2/" + ref.name() + "/blobs/" + layer.digest(), null, settings.maxBlobBytes(), scope);
            if (!Digests.ociDigest(blob.body()).equals(layer.digest())) {
                throw new IllegalArgumentException("digest mismatch: the blob " + layer.digest() + " hashes to "
                        + Digests.ociDigest(blob.body()) + "; not stored");
            }
            text = new String(blob.body(), StandardCharsets.UTF_8);
            EvidenceIntake.Request request = new EvidenceIntake.Request(null, null, artifact, text, "registry", source.id());
            if (signature) {
                CosignSignature cosign = new CosignSignature(blob.body(), layer.annotation(CosignSignature.SIGNATURE_ANNOTATION),
                        layer.annotation(CosignSignature.CERTIFICATE_ANNOTATION), layer.annotation(CosignSignature.CHAIN_ANNOTATION),
                        layer.annotation(CosignSignature.BUNDLE_ANNOTATION));
                String sha = Digests.sha256Hex((String.valueOf(cosign.signatureBase64()) + "\n" + text).getBytes(StandardCharsets.UTF_8));
                return List.of(intake.cosignSignature(cosign, artifact, sha, request));
            }
            return List.of(intake.prepare(request));
        } catch (RegistryException | IllegalArgumentException e) {
            quarantine.hold(source.id(), "oci-evidence", where, text, e.getMessage(), jobExecutionId);
            evidenceFailures++;
            return List.of();
        }
    }

    /**
     * When the artifact was published: the image config's {@code created}; for an index its
     * {@code org.opencontainers.image.created} annotation, else its first platform image's config.
     * Unknown (null) when the registry does not say; the store then uses the time it was first seen.
     */
    private OffsetDateTime created(TagRef ref, OciManifest manifest, String scope) {
        try {
            if (manifest.isIndex()) {
                Instant annotated = instant(manifest.annotations().get("org.opencontainers.image.created"));
                if (annotated != null) {
                    return annotated.atOffset(ZoneOffset.UTC);
                }
                for (Descriptor d : manifest.manifests()) {
                    if (!d.isAttestationManifest()) {
                        RegistryResponse platform = client.get("v2/" + ref.name() + "/manifests/" + d.digest(), OciManifest.ACCEPT,
                                settings.maxManifestBytes(), scope);
                        requireDigest(platform, d.digest());
                        return created(ref, OciManifest.parse(json.readTree(platform.text()), platform.header("Content-Type")
                                .orElse(null)), scope);
                    }
                }
                return null;
            }
            Descriptor config = manifest.config();
            if (config == null || !IMAGE_CONFIGS.contains(config.mediaType())) {
                return null;
            }
            RegistryResponse blob = client.get("v2/" + ref.name() + "/blobs/" + config.digest(), null, MAX_CONFIG_BYTES, scope);
            if (!Digests.ociDigest(blob.body()).equals(config.digest())) {
                return null;
            }
            JsonNode node = json.readTree(blob.text());
            Instant created = instant(node.path("created").isString() ? node.path("created").asString() : null);
            return created == null ? null : created.atOffset(ZoneOffset.UTC);
        } catch (RegistryException | IllegalArgumentException e) {
            return null;
        }
    }

    private static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}

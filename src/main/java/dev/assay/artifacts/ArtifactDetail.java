package dev.assay.artifacts;

import java.time.Instant;
import java.util.List;

/** Everything Assay knows about one artifact, for its page. */
public record ArtifactDetail(String digest, String kind, String mediaType, Long sizeBytes, Instant publishedAt, Instant firstSeenAt,
        String sourceId, List<String> repositories, List<String> services, List<Tag> tags, List<Platform> platforms,
        List<SignatureView> signatures, List<SbomView> sboms, List<ScanSummary> scans, List<AttestationView> attestations) {

    public record Tag(String repository, String tag) {
    }

    /** A manifest an index lists; BuildKit attestation manifests are flagged. */
    public record Platform(String digest, String mediaType, String os, String architecture, String variant,
            boolean attestationManifest, String attestsDigest) {

        public String platform() {
            return (os == null ? "?" : os) + "/" + (architecture == null ? "?" : architecture) + (variant == null ? "" : "/" + variant);
        }
    }

    /** A signature and what Assay's verification concluded. */
    public record SignatureView(long id, String format, String origin, String sourceId, boolean verified, String status,
            String reason, String keyName, String keyFingerprint, String identity, String claimedDigest, String dockerReference,
            Instant firstSeenAt, Instant verifiedAt) {
    }

    public record SbomView(long id, String format, String specVersion, String tool, Instant documentCreatedAt, Instant ingestedAt,
            int componentCount, int dependencyCount, int licenseViolationCount, String origin, List<LicenseViolation> violations) {
    }

    public record LicenseViolation(String component, String version, String license, String rule, String offending) {
    }

    public record Component(String name, String version, String purl, String type, String licenses) {
    }

    public record AttestationView(long id, String envelopeFormat, String payloadType, String statementType, String predicateType,
            int signatureCount, boolean verified, String status, String reason, String keyName, String identity, String origin,
            Instant ingestedAt, Provenance provenance) {
    }

    /** SLSA provenance: the build that made the artifact. */
    public record Provenance(String slsaVersion, String builderId, String buildType, String sourceRepository, String sourceRef,
            String sourceCommit, String runUrl, String invocationId) {

        /** The run URL when it is a web address (collected text is never made a link otherwise). */
        public String safeRunUrl() {
            return runUrl != null && (runUrl.startsWith("https://") || runUrl.startsWith("http://")) ? runUrl : null;
        }
    }
}

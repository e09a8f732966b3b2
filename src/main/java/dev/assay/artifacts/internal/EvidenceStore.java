package dev.assay.artifacts.internal;

import static dev.assay.artifacts.internal.db.Tables.ATTESTATION;
import static dev.assay.artifacts.internal.db.Tables.PROVENANCE;
import static dev.assay.artifacts.internal.db.Tables.SBOM;
import static dev.assay.artifacts.internal.db.Tables.SBOM_COMPONENT;
import static dev.assay.artifacts.internal.db.Tables.SBOM_LICENSE_VIOLATION;
import static dev.assay.artifacts.internal.db.Tables.SCAN_REPORT;
import static dev.assay.artifacts.internal.db.Tables.SCAN_RESULT;
import static dev.assay.artifacts.internal.db.Tables.SIGNATURE;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.jooq.DSLContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import dev.assay.artifacts.ScanIngested;
import dev.assay.artifacts.internal.db.tables.records.SignatureRecord;
import dev.assay.artifacts.internal.parse.InTotoStatement;
import dev.assay.artifacts.internal.parse.ParsedSbom;
import dev.assay.artifacts.internal.parse.ParsedScan;
import dev.assay.artifacts.internal.parse.SbomComponentItem;
import dev.assay.artifacts.internal.parse.ScanItem;
import dev.assay.artifacts.internal.parse.Severity;
import dev.assay.artifacts.internal.parse.SlsaProvenance;
import dev.assay.artifacts.internal.verify.Verification;
import dev.assay.catalog.Catalog;

/**
 * Writes the evidence about artifacts. Every kind is keyed by artifact + SHA-256 of the document (or
 * of the signature and its payload): the same document stored again is found, not added.
 */
@Repository
public class EvidenceStore {

    private final DSLContext db;
    private final Clock clock;
    private final ArtifactStore artifacts;
    private final Catalog catalog;
    private final ArtifactSettings settings;
    private final ApplicationEventPublisher events;

    EvidenceStore(DSLContext db, Clock clock, ArtifactStore artifacts, Catalog catalog, ArtifactSettings settings,
            ApplicationEventPublisher events) {
        this.db = db;
        this.clock = clock;
        this.artifacts = artifacts;
        this.catalog = catalog;
        this.settings = settings;
        this.events = events;
    }

    /** A stored row: its id, and whether this call created it. */
    public record Stored(String kind, long id, boolean created) {

        public String reference() {
            return kind + ":" + id;
        }
    }

    /** The verified facts of a signature over an artifact. */
    public record SignatureFacts(String format, byte[] signedBytes, String signatureBase64, String certificatePem,
            String claimedDigest, String dockerReference, String keyHint, String identity, Verification verification,
            String rekorBundle) {
    }

    /** A signed (or unsigned) statement about an artifact. */
    public record AttestationFacts(String envelopeFormat, String payloadType, InTotoStatement statement, int signatureCount,
            Verification verification, String identity, SlsaProvenance provenance) {
    }

    @Transactional
    public Stored storeSbom(long artifactId, ParsedSbom sbom, String documentSha256, String origin, String sourceId) {
        Optional<Long> existing = db.select(SBOM.ID).from(SBOM)
                .where(SBOM.ARTIFACT_ID.eq(artifactId).and(SBOM.DOCUMENT_SHA256.eq(documentSha256))).fetchOptional(SBOM.ID);
        if (existing.isPresent()) {
            return new Stored("sbom", existing.get(), false);
        }
        LicensePolicy policy = settings.licensePolicy();
        List<LicensePolicy.Violation> violations = new ArrayList<>();
        List<Integer> violating = new ArrayList<>();
        for (int i = 0; i < sbom.components().size(); i++) {
            Optional<LicensePolicy.Violation> violation = policy.evaluate(sbom.components().get(i).licenses());
            if (violation.isPresent()) {
                violations.add(violation.get());
                violating.add(i);
            }
        }
        long id = db.insertInto(SBOM)
                .set(SBOM.ARTIFACT_ID, artifactId)
                .set(SBOM.DOCUMENT_SHA256, documentSha256)
                .set(SBOM.FORMAT, sbom.format())
                .set(SBOM.SPEC_VERSION, Text.cap(sbom.specVersion(), 20))
                .set(SBOM.SERIAL_NUMBER, Text.cap(sbom.serialNumber(), 500))
                .set(SBOM.TOOL, Text.cap(sbom.tool(), 300))
                .set(SBOM.DOCUMENT_CREATED_AT, utc(sbom.createdAt()))
                .set(SBOM.COMPONENT_COUNT, sbom.components().size())
                .set(SBOM.DEPENDENCY_COUNT, sbom.dependencyCount())
                .set(SBOM.LICENSE_VIOLATION_COUNT, violations.size())
                .set(SBOM.ORIGIN, origin)
                .set(SBOM.SOURCE_ID, sourceId)
                .set(SBOM.INGESTED_AT, OffsetDateTime.now(clock))
                .returning(SBOM.ID).fetchOne().getId();
        var insert = db.batch(db.insertInto(SBOM_COMPONENT, SBOM_COMPONENT.SBOM_ID, SBOM_COMPONENT.ORDINAL, SBOM_COMPONENT.BOM_REF,
                SBOM_COMPONENT.NAME, SBOM_COMPONENT.VERSION, SBOM_COMPONENT.PURL, SBOM_COMPONENT.COMPONENT_TYPE,
                SBOM_COMPONENT.LICENSES).values((Long) null, null, null, null, null, null, null, null));
        for (int i = 0; i < sbom.components().size(); i++) {
            SbomComponentItem c = sbom.components().get(i);
            insert.bind(id, i, Text.cap(c.bomRef(), 1000), Text.cap(c.name(), 500), Text.cap(c.version(), 300),
                    Text.cap(c.purl(), 2000), Text.cap(c.type(), 50), Text.cap(String.join(" AND ", c.licenses()), 2000));
        }
        if (!sbom.components().isEmpty()) {
            insert.execute();
        }
        for (int v = 0; v < violations.size(); v++) {
            int ordinal = violating.get(v);
            db.insertInto(SBOM_LICENSE_VIOLATION)
                    .set(SBOM_LICENSE_VIOLATION.SBOM_ID, id)
                    .set(SBOM_LICENSE_VIOLATION.ORDINAL, ordinal)
                    .set(SBOM_LICENSE_VIOLATION.LICENSE, Text.cap(String.join(" AND ", sbom.components().get(ordinal).licenses()), 2000))
                    .set(SBOM_LICENSE_VIOLATION.RULE, violations.get(v).rule())
                    .set(SBOM_LICENSE_VIOLATION.OFFENDING, Text.cap(String.join(", ", violations.get(v).offending()), 500))
                    .execute();
        }
        return new Stored("sbom", id, true);
    }

    /** Stores a scan report and its results, and announces it with {@link ScanIngested} when new. */
    @Transactional
    public Stored storeScan(long artifactId, ParsedScan scan, String documentSha256, String origin, String sourceId) {
        Optional<Long> existing = db.select(SCAN_REPORT.ID).from(SCAN_REPORT)
                .where(SCAN_REPORT.ARTIFACT_ID.eq(artifactId).and(SCAN_REPORT.DOCUMENT_SHA256.eq(documentSha256)))
                .fetchOptional(SCAN_REPORT.ID);
        if (existing.isPresent()) {
            return new Stored("scan", existing.get(), false);
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        // a report dated in the future (clock skew, or a wish to look fresh) counts from when it arrived
        OffsetDateTime scannedAt = scan.scannedAt() == null || scan.scannedAt().isAfter(now.toInstant()) ? now : utc(scan.scannedAt());
        Map<Severity, Integer> counts = scan.counts();
        long id = db.insertInto(SCAN_REPORT)
                .set(SCAN_REPORT.ARTIFACT_ID, artifactId)
                .set(SCAN_REPORT.DOCUMENT_SHA256, documentSha256)
                .set(SCAN_REPORT.FORMAT, scan.format())
                .set(SCAN_REPORT.SCANNER, Text.cap(scan.scanner(), 200))
                .set(SCAN_REPORT.SCANNER_VERSION, Text.cap(scan.scannerVersion(), 100))
                .set(SCAN_REPORT.SCANNED_AT, scannedAt)
                .set(SCAN_REPORT.INGESTED_AT, now)
                .set(SCAN_REPORT.CRITICAL_COUNT, counts.get(Severity.CRITICAL))
                .set(SCAN_REPORT.HIGH_COUNT, counts.get(Severity.HIGH))
                .set(SCAN_REPORT.MEDIUM_COUNT, counts.get(Severity.MEDIUM))
                .set(SCAN_REPORT.LOW_COUNT, counts.get(Severity.LOW))
                .set(SCAN_REPORT.NONE_COUNT, counts.get(Severity.NONE))
                .set(SCAN_REPORT.UNKNOWN_COUNT, counts.get(Severity.UNKNOWN))
                .set(SCAN_REPORT.RESULT_COUNT, scan.items().size())
                .set(SCAN_REPORT.SUPPRESSED_COUNT, scan.suppressedCount())
                .set(SCAN_REPORT.ORIGIN, origin)
                .set(SCAN_REPORT.SOURCE_ID, sourceId)
                .returning(SCAN_REPORT.ID).fetchOne().getId();
        var insert = db.batch(db.insertInto(SCAN_RESULT, SCAN_RESULT.SCAN_ID, SCAN_RESULT.ORDINAL, SCAN_RESULT.RESULT_ID,
                SCAN_RESULT.KIND, SCAN_RESULT.PACKAGE_NAME, SCAN_RESULT.PACKAGE_TYPE, SCAN_RESULT.PURL,
                SCAN_RESULT.INSTALLED_VERSION, SCAN_RESULT.FIXED_VERSION, SCAN_RESULT.SEVERITY, SCAN_RESULT.CVSS_SCORE,
                SCAN_RESULT.CVSS_VECTOR, SCAN_RESULT.TITLE, SCAN_RESULT.LOCATION, SCAN_RESULT.SUPPRESSED,
                SCAN_RESULT.SUPPRESSION_STATUS).values((Long) null, null, null, null, null, null, null, null, null, null, null,
                        null, null, null, null, null));
        for (int i = 0; i < scan.items().size(); i++) {
            ScanItem item = scan.items().get(i);
            insert.bind(id, i, Text.cap(item.resultId(), 300), item.kind(), Text.cap(item.packageName(), 500),
                    Text.cap(item.packageType(), 100), Text.cap(item.purl(), 2000), Text.cap(item.installedVersion(), 300),
                    Text.cap(item.fixedVersion(), 500), item.severity().label(), item.cvssScore(), Text.cap(item.cvssVector(), 300),
                    Text.cap(item.title(), 1000), Text.cap(item.location(), 1000), item.suppressed(), item.suppressionStatus());
        }
        if (!scan.items().isEmpty()) {
            insert.execute();
        }
        String digest = artifacts.digestOf(artifactId).orElseThrow();
        events.publishEvent(new ScanIngested(digest, serviceNames(artifactId), id));
        return new Stored("scan", id, true);
    }

    @Transactional
    public Stored storeAttestation(long artifactId, AttestationFacts facts, String documentSha256, String origin, String sourceId) {
        Optional<Long> existing = db.select(ATTESTATION.ID).from(ATTESTATION)
                .where(ATTESTATION.ARTIFACT_ID.eq(artifactId).and(ATTESTATION.DOCUMENT_SHA256.eq(documentSha256)))
                .fetchOptional(ATTESTATION.ID);
        if (existing.isPresent()) {
            return new Stored("attestation", existing.get(), false);
        }
        Verification v = facts.verification();
        long id = db.insertInto(ATTESTATION)
                .set(ATTESTATION.ARTIFACT_ID, artifactId)
                .set(ATTESTATION.DOCUMENT_SHA256, documentSha256)
                .set(ATTESTATION.ENVELOPE_FORMAT, facts.envelopeFormat())
                .set(ATTESTATION.PAYLOAD_TYPE, Text.cap(facts.payloadType(), 200))
                .set(ATTESTATION.STATEMENT_TYPE, facts.statement() == null ? null : facts.statement().type())
                .set(ATTESTATION.PREDICATE_TYPE, facts.statement() == null ? null : Text.cap(facts.statement().predicateType(), 300))
                .set(ATTESTATION.SIGNATURE_COUNT, facts.signatureCount())
                .set(ATTESTATION.VERIFIED, v.verified())
                .set(ATTESTATION.STATUS, v.status())
                .set(ATTESTATION.REASON, Text.cap(v.reason(), 1000))
                .set(ATTESTATION.KEY_FINGERPRINT, v.key() == null ? null : v.key().fingerprint())
                .set(ATTESTATION.KEY_NAME, v.key() == null ? null : Text.cap(v.key().name(), 300))
                .set(ATTESTATION.IDENTITY, Text.cap(facts.identity(), 500))
                .set(ATTESTATION.ORIGIN, origin)
                .set(ATTESTATION.SOURCE_ID, sourceId)
                .set(ATTESTATION.INGESTED_AT, OffsetDateTime.now(clock))
                .returning(ATTESTATION.ID).fetchOne().getId();
        SlsaProvenance p = facts.provenance();
        if (p != null) {
            db.insertInto(PROVENANCE)
                    .set(PROVENANCE.ATTESTATION_ID, id)
                    .set(PROVENANCE.ARTIFACT_ID, artifactId)
                    .set(PROVENANCE.SLSA_VERSION, p.slsaVersion())
                    .set(PROVENANCE.BUILDER_ID, Text.cap(p.builderId(), 500))
                    .set(PROVENANCE.BUILD_TYPE, Text.cap(p.buildType(), 500))
                    .set(PROVENANCE.SOURCE_REPOSITORY, Text.cap(p.sourceRepository(), 500))
                    .set(PROVENANCE.SOURCE_REF, Text.cap(p.sourceRef(), 300))
                    .set(PROVENANCE.SOURCE_COMMIT, Text.cap(p.sourceCommit(), 100))
                    .set(PROVENANCE.RUN_URL, Text.cap(p.runUrl(), 1000))
                    .set(PROVENANCE.INVOCATION_ID, Text.cap(p.invocationId(), 500))
                    .execute();
        }
        return new Stored("attestation", id, true);
    }

    /**
     * Stores a signature with its verification. Seen again, only a changed verification (keys were
     * added or removed since) updates the row.
     */
    @Transactional
    public Stored storeSignature(long artifactId, SignatureFacts facts, String origin, String sourceId) {
        String sha = sha256(facts.signatureBase64() + "\n" + Base64.getEncoder().encodeToString(facts.signedBytes()));
        SignatureRecord existing = db.selectFrom(SIGNATURE)
                .where(SIGNATURE.ARTIFACT_ID.eq(artifactId).and(SIGNATURE.SIGNATURE_SHA256.eq(sha))).fetchOne();
        Verification v = facts.verification();
        OffsetDateTime now = OffsetDateTime.now(clock);
        if (existing != null) {
            boolean bundleAdded = existing.getRekorBundle() == null && facts.rekorBundle() != null;
            if (bundleAdded) {
                // a row stored before the Rekor bundle was kept gets it when the signature is seen again
                existing.setRekorBundle(facts.rekorBundle());
            }
            if (updateVerification(existing, v) || bundleAdded) {
                existing.store();
            }
            return new Stored("signature", existing.getId(), false);
        }
        long id = db.insertInto(SIGNATURE)
                .set(SIGNATURE.ARTIFACT_ID, artifactId)
                .set(SIGNATURE.SIGNATURE_SHA256, sha)
                .set(SIGNATURE.FORMAT, facts.format())
                .set(SIGNATURE.ORIGIN, origin)
                .set(SIGNATURE.SOURCE_ID, sourceId)
                .set(SIGNATURE.PAYLOAD_BASE64, Base64.getEncoder().encodeToString(facts.signedBytes()))
                .set(SIGNATURE.SIGNATURE_BASE64, facts.signatureBase64())
                .set(SIGNATURE.CERTIFICATE_PEM, facts.certificatePem())
                .set(SIGNATURE.CLAIMED_DIGEST, Text.cap(facts.claimedDigest(), 200))
                .set(SIGNATURE.DOCKER_REFERENCE, Text.cap(facts.dockerReference(), 500))
                .set(SIGNATURE.KEY_HINT, Text.cap(facts.keyHint(), 200))
                .set(SIGNATURE.IDENTITY, Text.cap(facts.identity(), 500))
                .set(SIGNATURE.REKOR_BUNDLE, facts.rekorBundle())
                .set(SIGNATURE.VERIFIED, v.verified())
                .set(SIGNATURE.STATUS, v.status())
                .set(SIGNATURE.REASON, Text.cap(v.reason(), 1000))
                .set(SIGNATURE.KEY_FINGERPRINT, v.key() == null ? null : v.key().fingerprint())
                .set(SIGNATURE.KEY_NAME, v.key() == null ? null : Text.cap(v.key().name(), 300))
                .set(SIGNATURE.FIRST_SEEN_AT, now)
                .set(SIGNATURE.VERIFIED_AT, now)
                .returning(SIGNATURE.ID).fetchOne().getId();
        return new Stored("signature", id, true);
    }

    /** Applies a new verification to a stored signature; true when anything changed. */
    boolean updateVerification(SignatureRecord record, Verification v) {
        String fingerprint = v.key() == null ? null : v.key().fingerprint();
        if (record.getVerified() == v.verified() && record.getStatus().equals(v.status())
                && Objects.equals(record.getKeyFingerprint(), fingerprint) && record.getReason().equals(Text.cap(v.reason(), 1000))) {
            return false;
        }
        record.setVerified(v.verified());
        record.setStatus(v.status());
        record.setReason(Text.cap(v.reason(), 1000));
        record.setKeyFingerprint(fingerprint);
        record.setKeyName(v.key() == null ? null : Text.cap(v.key().name(), 300));
        record.setVerifiedAt(OffsetDateTime.now(clock));
        return true;
    }

    /** The catalog services whose image repositories hold the artifact. */
    public List<String> serviceNames(long artifactId) {
        Set<String> names = new LinkedHashSet<>();
        for (String repository : artifacts.repositoriesOf(artifactId)) {
            names.addAll(catalog.serviceNamesByLink("oci", repository));
        }
        return List.copyOf(names);
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static String sha256(String text) {
        return Digests.sha256Hex(text.getBytes(StandardCharsets.UTF_8));
    }
}

package dev.assay.artifacts;

import static dev.assay.artifacts.internal.db.Tables.ARTIFACT;
import static dev.assay.artifacts.internal.db.Tables.ARTIFACT_PLATFORM;
import static dev.assay.artifacts.internal.db.Tables.ARTIFACT_REPOSITORY;
import static dev.assay.artifacts.internal.db.Tables.ARTIFACT_TAG;
import static dev.assay.artifacts.internal.db.Tables.ATTESTATION;
import static dev.assay.artifacts.internal.db.Tables.PROVENANCE;
import static dev.assay.artifacts.internal.db.Tables.SBOM;
import static dev.assay.artifacts.internal.db.Tables.SBOM_COMPONENT;
import static dev.assay.artifacts.internal.db.Tables.SBOM_LICENSE_VIOLATION;
import static dev.assay.artifacts.internal.db.Tables.SIGNATURE;

import java.time.OffsetDateTime;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.assay.artifacts.internal.db.tables.records.ArtifactRecord;
import dev.assay.catalog.Catalog;
import dev.assay.common.PageRequest;
import dev.assay.common.PageResult;

/** Reads artifacts and their evidence for the pages and {@code /api/v1/artifacts}. */
@Service
@Transactional(readOnly = true)
public class ArtifactQueries {

    public static final int MAX_COMPONENTS_SHOWN = 500;

    private final DSLContext db;
    private final Catalog catalog;
    private final ArtifactFigures figures;
    private final ScanReports scans;

    ArtifactQueries(DSLContext db, Catalog catalog, ArtifactFigures figures, ScanReports scans) {
        this.db = db;
        this.catalog = catalog;
        this.figures = figures;
        this.scans = scans;
    }

    /**
     * Top-level artifacts, newest first, with the checks each passes.
     *
     * @param repository an exact repository ({@code registry.example.com/acme/payments-api})
     * @param source     the source that first saw the artifact
     * @throws IllegalArgumentException for an unknown team or service
     */
    public PageResult<ArtifactCoverage> list(String team, String service, String source, String repository, PageRequest page) {
        Condition where = ARTIFACT.TOP_LEVEL.isTrue();
        Set<String> repositories = figures.repositoriesOf(team, service);
        if (repositories != null) {
            where = where.and(DSL.exists(DSL.selectOne().from(ARTIFACT_REPOSITORY).where(ARTIFACT_REPOSITORY.ARTIFACT_ID.eq(ARTIFACT.ID)
                    .and(ARTIFACT_REPOSITORY.REPOSITORY.in(repositories)))));
        }
        if (repository != null && !repository.isBlank()) {
            where = where.and(DSL.exists(DSL.selectOne().from(ARTIFACT_REPOSITORY).where(ARTIFACT_REPOSITORY.ARTIFACT_ID.eq(ARTIFACT.ID)
                    .and(ARTIFACT_REPOSITORY.REPOSITORY.eq(repository.trim())))));
        }
        if (source != null && !source.isBlank()) {
            where = where.and(ARTIFACT.SOURCE_ID.eq(source.trim()));
        }
        long total = db.fetchCount(ARTIFACT, where);
        List<Long> ids = db.select(ARTIFACT.ID).from(ARTIFACT).where(where).orderBy(ARTIFACT.PUBLISHED_AT.desc(), ARTIFACT.DIGEST)
                .limit(page.size()).offset(page.offset()).fetch(ARTIFACT.ID);
        return new PageResult<>(figures.describe(ids), total, page.page(), page.size());
    }

    public Optional<ArtifactDetail> detail(String digest) {
        ArtifactRecord a = db.selectFrom(ARTIFACT).where(ARTIFACT.DIGEST.eq(digest)).fetchOne();
        if (a == null) {
            return Optional.empty();
        }
        long id = a.getId();
        List<String> repositories = db.select(ARTIFACT_REPOSITORY.REPOSITORY).from(ARTIFACT_REPOSITORY)
                .where(ARTIFACT_REPOSITORY.ARTIFACT_ID.eq(id)).orderBy(ARTIFACT_REPOSITORY.REPOSITORY).fetch(ARTIFACT_REPOSITORY.REPOSITORY);
        Set<String> services = new LinkedHashSet<>();
        repositories.forEach(r -> services.addAll(catalog.serviceNamesByLink("oci", r)));
        List<ArtifactDetail.Tag> tags = db.selectFrom(ARTIFACT_TAG).where(ARTIFACT_TAG.ARTIFACT_ID.eq(id))
                .orderBy(ARTIFACT_TAG.REPOSITORY, ARTIFACT_TAG.TAG).fetch(t -> new ArtifactDetail.Tag(t.getRepository(), t.getTag()));
        List<ArtifactDetail.Platform> platforms = db.selectFrom(ARTIFACT_PLATFORM).where(ARTIFACT_PLATFORM.INDEX_ARTIFACT_ID.eq(id))
                .orderBy(ARTIFACT_PLATFORM.ATTESTATION_MANIFEST, ARTIFACT_PLATFORM.OS, ARTIFACT_PLATFORM.ARCHITECTURE)
                .fetch(p -> new ArtifactDetail.Platform(p.getManifestDigest(), p.getMediaType(), p.getOs(), p.getArchitecture(),
                        p.getVariant(), p.getAttestationManifest(), p.getAttestsDigest()));
        List<ArtifactDetail.SignatureView> signatures = db.selectFrom(SIGNATURE).where(SIGNATURE.ARTIFACT_ID.eq(id))
                .orderBy(SIGNATURE.VERIFIED.desc(), SIGNATURE.ID)
                .fetch(s -> new ArtifactDetail.SignatureView(s.getId(), s.getFormat(), s.getOrigin(), s.getSourceId(), s.getVerified(),
                        s.getStatus(), s.getReason(), s.getKeyName(), s.getKeyFingerprint(), s.getIdentity(), s.getClaimedDigest(),
                        s.getDockerReference(), s.getFirstSeenAt().toInstant(), s.getVerifiedAt().toInstant()));
        List<ArtifactDetail.SbomView> sboms = db.selectFrom(SBOM).where(SBOM.ARTIFACT_ID.eq(id)).orderBy(SBOM.INGESTED_AT.desc(), SBOM.ID.desc())
                .fetch(s -> new ArtifactDetail.SbomView(s.getId(), s.getFormat(), s.getSpecVersion(), s.getTool(),
                        instant(s.getDocumentCreatedAt()), s.getIngestedAt().toInstant(), s.getComponentCount(), s.getDependencyCount(),
                        s.getLicenseViolationCount(), s.getOrigin(), violations(s.getId())));
        List<ArtifactDetail.AttestationView> attestations = db.select(ATTESTATION.fields()).select(PROVENANCE.fields()).from(ATTESTATION)
                .leftJoin(PROVENANCE).on(PROVENANCE.ATTESTATION_ID.eq(ATTESTATION.ID)).where(ATTESTATION.ARTIFACT_ID.eq(id))
                .orderBy(ATTESTATION.INGESTED_AT.desc(), ATTESTATION.ID.desc())
                .fetch(r -> new ArtifactDetail.AttestationView(r.get(ATTESTATION.ID), r.get(ATTESTATION.ENVELOPE_FORMAT),
                        r.get(ATTESTATION.PAYLOAD_TYPE), r.get(ATTESTATION.STATEMENT_TYPE), r.get(ATTESTATION.PREDICATE_TYPE),
                        r.get(ATTESTATION.SIGNATURE_COUNT), r.get(ATTESTATION.VERIFIED), r.get(ATTESTATION.STATUS),
                        r.get(ATTESTATION.REASON), r.get(ATTESTATION.KEY_NAME), r.get(ATTESTATION.IDENTITY), r.get(ATTESTATION.ORIGIN),
                        r.get(ATTESTATION.INGESTED_AT).toInstant(), r.get(PROVENANCE.ID) == null ? null
                                : new ArtifactDetail.Provenance(r.get(PROVENANCE.SLSA_VERSION), r.get(PROVENANCE.BUILDER_ID),
                                        r.get(PROVENANCE.BUILD_TYPE), r.get(PROVENANCE.SOURCE_REPOSITORY), r.get(PROVENANCE.SOURCE_REF),
                                        r.get(PROVENANCE.SOURCE_COMMIT), r.get(PROVENANCE.RUN_URL), r.get(PROVENANCE.INVOCATION_ID))));
        return Optional.of(new ArtifactDetail(a.getDigest(), a.getArtifactKind(), a.getMediaType(), a.getSizeBytes(),
                a.getPublishedAt().toInstant(), a.getFirstSeenAt().toInstant(), a.getSourceId(), repositories, List.copyOf(services),
                tags, platforms, signatures, sboms, scans.scansOf(digest), attestations));
    }

    /**
     * The components of an SBOM whose name, version, purl or licenses contain the search text
     * (case-insensitive), at most {@value #MAX_COMPONENTS_SHOWN}.
     */
    public List<ArtifactDetail.Component> components(long sbomId, String search) {
        Condition where = SBOM_COMPONENT.SBOM_ID.eq(sbomId);
        if (search != null && !search.isBlank()) {
            String like = "%" + search.trim().toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            where = where.and(DSL.lower(SBOM_COMPONENT.NAME).like(like, '\\')
                    .or(DSL.lower(SBOM_COMPONENT.VERSION).like(like, '\\'))
                    .or(DSL.lower(SBOM_COMPONENT.PURL).like(like, '\\'))
                    .or(DSL.lower(SBOM_COMPONENT.LICENSES).like(like, '\\')));
        }
        return db.selectFrom(SBOM_COMPONENT).where(where).orderBy(SBOM_COMPONENT.ORDINAL).limit(MAX_COMPONENTS_SHOWN)
                .fetch(c -> new ArtifactDetail.Component(c.getName(), c.getVersion(), c.getPurl(), c.getComponentType(), c.getLicenses()));
    }

    private List<ArtifactDetail.LicenseViolation> violations(long sbomId) {
        return db.select(SBOM_COMPONENT.NAME, SBOM_COMPONENT.VERSION, SBOM_LICENSE_VIOLATION.LICENSE, SBOM_LICENSE_VIOLATION.RULE,
                SBOM_LICENSE_VIOLATION.OFFENDING).from(SBOM_LICENSE_VIOLATION).join(SBOM_COMPONENT)
                .on(SBOM_COMPONENT.SBOM_ID.eq(SBOM_LICENSE_VIOLATION.SBOM_ID).and(SBOM_COMPONENT.ORDINAL.eq(SBOM_LICENSE_VIOLATION.ORDINAL)))
                .where(SBOM_LICENSE_VIOLATION.SBOM_ID.eq(sbomId)).orderBy(SBOM_LICENSE_VIOLATION.ORDINAL)
                .fetch(r -> new ArtifactDetail.LicenseViolation(r.value1(), r.value2(), r.value3(), r.value4(), r.value5()));
    }

    private static java.time.Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}

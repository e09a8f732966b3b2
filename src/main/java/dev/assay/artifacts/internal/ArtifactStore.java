package dev.assay.artifacts.internal;

import static dev.assay.artifacts.internal.db.Tables.ARTIFACT;
import static dev.assay.artifacts.internal.db.Tables.ARTIFACT_PLATFORM;
import static dev.assay.artifacts.internal.db.Tables.ARTIFACT_REPOSITORY;
import static dev.assay.artifacts.internal.db.Tables.ARTIFACT_TAG;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import dev.assay.artifacts.internal.db.tables.records.ArtifactRecord;
import dev.assay.artifacts.internal.parse.ArtifactRef;

/**
 * Artifacts keyed by digest, the repositories they were seen in, their tags and platform manifests.
 * Writes are upserts that change nothing when nothing new is known.
 */
@Repository
public class ArtifactStore {

    public static final String KIND_IMAGE = "image";
    public static final String KIND_INDEX = "index";
    public static final String KIND_UNKNOWN = "unknown";

    private final DSLContext db;
    private final Clock clock;

    ArtifactStore(DSLContext db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * What is known about an artifact at one sighting.
     *
     * @param publishedAt when it was published (an image's config {@code created}, else when first seen)
     */
    public record ArtifactFacts(String mediaType, String kind, Long sizeBytes, boolean topLevel, OffsetDateTime publishedAt) {

        /** An artifact known only because a document names it. */
        public static ArtifactFacts namedBy(OffsetDateTime now) {
            return new ArtifactFacts(null, KIND_UNKNOWN, null, true, now);
        }
    }

    public record PlatformEntry(String digest, String mediaType, Long sizeBytes, String os, String architecture, String variant,
            boolean attestationManifest, String attestsDigest) {
    }

    /** The artifact's id, creating it (and its repository link) when new. */
    @Transactional
    public long ensure(ArtifactRef ref, ArtifactFacts facts, String sourceId) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        ArtifactRecord existing = db.selectFrom(ARTIFACT).where(ARTIFACT.DIGEST.eq(ref.digest())).fetchOne();
        long id;
        if (existing == null) {
            db.insertInto(ARTIFACT)
                    .set(ARTIFACT.DIGEST, ref.digest())
                    .set(ARTIFACT.MEDIA_TYPE, facts.mediaType())
                    .set(ARTIFACT.ARTIFACT_KIND, facts.kind())
                    .set(ARTIFACT.SIZE_BYTES, facts.sizeBytes())
                    .set(ARTIFACT.TOP_LEVEL, facts.topLevel())
                    .set(ARTIFACT.PUBLISHED_AT, facts.publishedAt() == null ? now : facts.publishedAt())
                    .set(ARTIFACT.FIRST_SEEN_AT, now)
                    .set(ARTIFACT.LAST_SEEN_AT, now)
                    .set(ARTIFACT.SOURCE_ID, sourceId)
                    .onConflict(ARTIFACT.DIGEST).doNothing()
                    .execute();
            id = db.select(ARTIFACT.ID).from(ARTIFACT).where(ARTIFACT.DIGEST.eq(ref.digest())).fetchSingle(ARTIFACT.ID);
        } else {
            id = existing.getId();
            boolean changed = false;
            if (existing.getMediaType() == null && facts.mediaType() != null) {
                existing.setMediaType(facts.mediaType());
                changed = true;
            }
            if (KIND_UNKNOWN.equals(existing.getArtifactKind()) && !KIND_UNKNOWN.equals(facts.kind())) {
                existing.setArtifactKind(facts.kind());
                changed = true;
            }
            if (existing.getSizeBytes() == null && facts.sizeBytes() != null) {
                existing.setSizeBytes(facts.sizeBytes());
                changed = true;
            }
            if (!existing.getTopLevel() && facts.topLevel()) {
                existing.setTopLevel(true);
                changed = true;
            }
            // the earliest evidence of publication wins (an SBOM may arrive before the registry is collected)
            if (facts.publishedAt() != null && facts.publishedAt().isBefore(existing.getPublishedAt())) {
                existing.setPublishedAt(facts.publishedAt());
                changed = true;
            }
            if (changed) {
                existing.setLastSeenAt(now);
                existing.update();
            }
        }
        if (ref.repository() != null) {
            db.insertInto(ARTIFACT_REPOSITORY)
                    .set(ARTIFACT_REPOSITORY.ARTIFACT_ID, id)
                    .set(ARTIFACT_REPOSITORY.REPOSITORY, ref.repository())
                    .set(ARTIFACT_REPOSITORY.FIRST_SEEN_AT, now)
                    .onConflictDoNothing()
                    .execute();
        }
        return id;
    }

    /** Points a tag of a repository at an artifact (tags move; one digest per tag and repository). */
    @Transactional
    public void tag(String repository, String tag, long artifactId) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        Long current = db.select(ARTIFACT_TAG.ARTIFACT_ID).from(ARTIFACT_TAG)
                .where(ARTIFACT_TAG.REPOSITORY.eq(repository).and(ARTIFACT_TAG.TAG.eq(tag))).fetchOne(ARTIFACT_TAG.ARTIFACT_ID);
        if (current == null) {
            db.insertInto(ARTIFACT_TAG).set(ARTIFACT_TAG.REPOSITORY, repository).set(ARTIFACT_TAG.TAG, tag)
                    .set(ARTIFACT_TAG.ARTIFACT_ID, artifactId).set(ARTIFACT_TAG.UPDATED_AT, now)
                    .onConflictDoNothing().execute();
        } else if (current != artifactId) {
            db.update(ARTIFACT_TAG).set(ARTIFACT_TAG.ARTIFACT_ID, artifactId).set(ARTIFACT_TAG.UPDATED_AT, now)
                    .where(ARTIFACT_TAG.REPOSITORY.eq(repository).and(ARTIFACT_TAG.TAG.eq(tag))).execute();
        }
    }

    @Transactional
    public void platforms(long indexId, List<PlatformEntry> entries) {
        for (PlatformEntry entry : entries) {
            db.insertInto(ARTIFACT_PLATFORM)
                    .set(ARTIFACT_PLATFORM.INDEX_ARTIFACT_ID, indexId)
                    .set(ARTIFACT_PLATFORM.MANIFEST_DIGEST, entry.digest())
                    .set(ARTIFACT_PLATFORM.MEDIA_TYPE, Text.cap(entry.mediaType(), 200))
                    .set(ARTIFACT_PLATFORM.SIZE_BYTES, entry.sizeBytes())
                    .set(ARTIFACT_PLATFORM.OS, Text.cap(entry.os(), 50))
                    .set(ARTIFACT_PLATFORM.ARCHITECTURE, Text.cap(entry.architecture(), 50))
                    .set(ARTIFACT_PLATFORM.VARIANT, Text.cap(entry.variant(), 50))
                    .set(ARTIFACT_PLATFORM.ATTESTATION_MANIFEST, entry.attestationManifest())
                    .set(ARTIFACT_PLATFORM.ATTESTS_DIGEST, entry.attestsDigest())
                    .onConflictDoNothing()
                    .execute();
        }
    }

    public Optional<Long> idByDigest(String digest) {
        return db.select(ARTIFACT.ID).from(ARTIFACT).where(ARTIFACT.DIGEST.eq(digest)).fetchOptional(ARTIFACT.ID);
    }

    public Optional<String> digestOf(long id) {
        return db.select(ARTIFACT.DIGEST).from(ARTIFACT).where(ARTIFACT.ID.eq(id)).fetchOptional(ARTIFACT.DIGEST);
    }

    public List<String> repositoriesOf(long artifactId) {
        return db.select(ARTIFACT_REPOSITORY.REPOSITORY).from(ARTIFACT_REPOSITORY)
                .where(ARTIFACT_REPOSITORY.ARTIFACT_ID.eq(artifactId)).orderBy(ARTIFACT_REPOSITORY.REPOSITORY)
                .fetch(ARTIFACT_REPOSITORY.REPOSITORY);
    }

    public Set<String> knownDigests(Collection<String> digests) {
        if (digests.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(db.select(ARTIFACT.DIGEST).from(ARTIFACT).where(ARTIFACT.DIGEST.in(digests)).fetch(ARTIFACT.DIGEST));
    }

    /** The source that first saw an artifact (a registry source, a files source, or ingest:&lt;kind&gt;). */
    public String sourceOf(long artifactId) {
        return db.select(ARTIFACT.SOURCE_ID).from(ARTIFACT).where(ARTIFACT.ID.eq(artifactId)).fetchOne(ARTIFACT.SOURCE_ID);
    }
}

package dev.assay.artifacts;

import static dev.assay.artifacts.internal.db.Tables.ARTIFACT;
import static dev.assay.artifacts.internal.db.Tables.ARTIFACT_REPOSITORY;
import static dev.assay.artifacts.internal.db.Tables.ARTIFACT_TAG;
import static dev.assay.artifacts.internal.db.Tables.ATTESTATION;
import static dev.assay.artifacts.internal.db.Tables.PROVENANCE;
import static dev.assay.artifacts.internal.db.Tables.SBOM;
import static dev.assay.artifacts.internal.db.Tables.SCAN_REPORT;
import static dev.assay.artifacts.internal.db.Tables.SIGNATURE;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

import org.jooq.DSLContext;
import org.jooq.Record3;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.assay.artifacts.internal.ArtifactSettings;
import dev.assay.builds.KnownRuns;
import dev.assay.builds.RunReference;
import dev.assay.catalog.Catalog;
import dev.assay.catalog.FigureScope;
import dev.assay.catalog.Ratio;
import dev.assay.catalog.ServiceSummary;
import dev.assay.catalog.TeamSummary;

/**
 * The artifact coverage figures of DESIGN §5, for the organisation, a team or a service.
 * <p>
 * Scope: the artifacts (images and indexes, not the platform manifests of an index) published in the
 * window, plus the newest artifact of each repository, so a repository that published nothing lately
 * still counts with what it runs. A team's scope is the artifacts of the image repositories of the
 * services it owns; the organisation's includes artifacts no service claims.
 * <ul>
 * <li>signed: at least one signature verified by Assay against a key trusted for the artifact;</li>
 * <li>signed but unverified: signatures present, none verified (shown separately, never counted as signed);</li>
 * <li>scanned: a scan report not older than the freshness limit ({@code assay.artifacts.scan-freshness}, 7 days);</li>
 * <li>SBOM: an SBOM stored for the digest;</li>
 * <li>provenance: SLSA provenance whose subject is the digest and whose build is a CI run Assay
 * collected: its run URL (or invocation id), or its source repository and commit, names a completed,
 * successful pipeline run stored by the builds feature ({@link KnownRuns}).</li>
 * </ul>
 */
@Service
@Transactional(readOnly = true)
public class ArtifactFigures {

    private final DSLContext db;
    private final Catalog catalog;
    private final ArtifactSettings settings;
    private final Clock clock;
    private final KnownRuns knownRuns;

    ArtifactFigures(DSLContext db, Catalog catalog, ArtifactSettings settings, KnownRuns knownRuns, Clock clock) {
        this.db = db;
        this.knownRuns = knownRuns;
        this.catalog = catalog;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * The artifacts (of those given) with provenance, ingested by {@code asOf}, whose build is a CI run
     * collected by then.
     */
    private Set<Long> linkedToKnownRuns(List<Long> artifactIds, OffsetDateTime asOf) {
        Map<RunReference, Set<Long>> byReference = new HashMap<>();
        db.select(PROVENANCE.ARTIFACT_ID, PROVENANCE.RUN_URL, PROVENANCE.INVOCATION_ID, PROVENANCE.SOURCE_REPOSITORY,
                PROVENANCE.SOURCE_COMMIT).from(PROVENANCE).join(ATTESTATION).on(ATTESTATION.ID.eq(PROVENANCE.ATTESTATION_ID))
                .where(PROVENANCE.ARTIFACT_ID.in(artifactIds)).and(ATTESTATION.INGESTED_AT.le(asOf))
                .forEach(r -> byReference.computeIfAbsent(new RunReference(r.value2() != null ? r.value2() : r.value3(), r.value4(),
                        r.value5()), k -> new HashSet<>()).add(r.value1()));
        Set<Long> linked = new HashSet<>();
        knownRuns.known(byReference.keySet(), asOf.toInstant()).forEach(reference -> linked.addAll(byReference.get(reference)));
        return linked;
    }

    /** The default window (30 days unless {@code assay.artifacts.window} says otherwise). */
    public Duration defaultWindow() {
        return settings.window();
    }

    public Duration scanFreshness() {
        return settings.scanFreshness();
    }

    public CoverageFigures coverage(Duration window, String team, String service) {
        return figures(window, scope(window, team, service));
    }

    /**
     * The coverage of many scopes at once (the metrics rollup: the organisation, every team and every
     * service), each equal to {@link #coverage} of the same filter, from one read of the artifacts.
     *
     * @throws IllegalArgumentException for an unknown team or service
     */
    public Map<FigureScope, CoverageFigures> coverageByScope(Duration window, List<FigureScope> scopes) {
        return coverageByScope(window, scopes, clock.instant());
    }

    /**
     * {@link #coverageByScope(Duration, List)} as Assay could have computed it at {@code asOf} (the
     * metrics rollup's backfill): the same figures with "now" replaced by {@code asOf}, counting only
     * what had been recorded by then — artifacts first seen, and seen in a repository, by then;
     * signatures whose verification (the verdict stored now) was recorded by then; scan reports, SBOMs
     * and provenance attestations ingested by then, provenance linked to CI runs stored as completed
     * and successful by then; scan freshness and the window counted back from {@code asOf}. The scopes
     * (which repositories a service has, which team owns it) are today's catalog: it keeps no history.
     * With {@code asOf} = the clock's now this is exactly the figure of now.
     */
    public Map<FigureScope, CoverageFigures> coverageByScope(Duration window, List<FigureScope> scopes, Instant asOf) {
        OffsetDateTime at = asOf.atOffset(java.time.ZoneOffset.UTC);
        List<ServiceSummary> services = catalog.services();
        Set<String> teams = catalog.teams().stream().map(TeamSummary::name).collect(java.util.stream.Collectors.toSet());
        Candidates candidates = Candidates.of(candidateRows(null, at), at.minus(window));
        Map<FigureScope, Set<Long>> idsByScope = new LinkedHashMap<>();
        Set<Long> every = new HashSet<>();
        for (FigureScope scope : scopes) {
            Set<Long> ids = candidates.in(repositoriesOf(scope.team(), scope.service(), services, teams));
            idsByScope.put(scope, ids);
            every.addAll(ids);
        }
        Map<Long, ArtifactCoverage> described = describeById(every, at);
        Map<FigureScope, CoverageFigures> figures = new LinkedHashMap<>();
        idsByScope.forEach((scope, ids) -> figures.put(scope,
                figures(window, ids.stream().map(described::get).filter(java.util.Objects::nonNull).toList())));
        return figures;
    }

    private static CoverageFigures figures(Duration window, List<ArtifactCoverage> scope) {
        return new CoverageFigures(window, ratio(scope, ArtifactCoverage::signed), ratio(scope, ArtifactCoverage::signedUnverified),
                ratio(scope, ArtifactCoverage::scanned), ratio(scope, ArtifactCoverage::sbom), ratio(scope, ArtifactCoverage::provenance));
    }

    public Ratio signedCoverage(Duration window, String team, String service) {
        return coverage(window, team, service).signed();
    }

    public Ratio signedButUnverified(Duration window, String team, String service) {
        return coverage(window, team, service).signedUnverified();
    }

    public Ratio scannedCoverage(Duration window, String team, String service) {
        return coverage(window, team, service).scanned();
    }

    public Ratio sbomCoverage(Duration window, String team, String service) {
        return coverage(window, team, service).sbom();
    }

    public Ratio provenanceCoverage(Duration window, String team, String service) {
        return coverage(window, team, service).provenance();
    }

    /**
     * The artifacts in scope with the checks each passes, newest first.
     *
     * @throws IllegalArgumentException for an unknown team or service
     */
    public List<ArtifactCoverage> scope(Duration window, String team, String service) {
        Set<String> repositories = repositoriesOf(team, service);
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), java.time.ZoneOffset.UTC);
        return describe(Candidates.of(candidateRows(repositories, now), now.minus(window)).in(repositories), now);
    }

    /**
     * The top-level artifacts first seen by {@code asOf} with their publication time and the
     * repositories they had been seen in by then (one row per repository); all repositories when null.
     */
    private List<Record3<Long, OffsetDateTime, String>> candidateRows(Set<String> repositories, OffsetDateTime asOf) {
        var query = db.select(ARTIFACT.ID, ARTIFACT.PUBLISHED_AT, ARTIFACT_REPOSITORY.REPOSITORY)
                .from(ARTIFACT).leftJoin(ARTIFACT_REPOSITORY).on(ARTIFACT_REPOSITORY.ARTIFACT_ID.eq(ARTIFACT.ID)
                        .and(ARTIFACT_REPOSITORY.FIRST_SEEN_AT.le(asOf)))
                .where(ARTIFACT.TOP_LEVEL.isTrue()).and(ARTIFACT.FIRST_SEEN_AT.le(asOf));
        return repositories == null ? query.fetch() : query.and(ARTIFACT_REPOSITORY.REPOSITORY.in(repositories)).fetch();
    }

    /**
     * What decides which artifacts a scope holds: the newest artifact of each repository, and the
     * artifacts published since the window's start (by repository; {@code unclaimed}: those of no
     * repository, which only the organisation holds).
     */
    private record Candidates(Map<String, Long> newestByRepository, Map<String, Set<Long>> recentByRepository,
            Set<Long> recentUnclaimed) {

        static Candidates of(List<Record3<Long, OffsetDateTime, String>> rows, OffsetDateTime since) {
            Map<Long, OffsetDateTime> published = new HashMap<>();
            Map<String, Long> newest = new HashMap<>();
            Map<String, Set<Long>> recent = new HashMap<>();
            Set<Long> unclaimed = new HashSet<>();
            for (var row : rows) {
                long id = row.value1();
                OffsetDateTime at = row.value2();
                published.put(id, at);
                String repository = row.value3();
                boolean isRecent = !at.isBefore(since);
                if (repository == null) {
                    if (isRecent) {
                        unclaimed.add(id);
                    }
                    continue;
                }
                Long current = newest.get(repository);
                if (current == null || newer(at, id, published.get(current), current)) {
                    newest.put(repository, id);
                }
                if (isRecent) {
                    recent.computeIfAbsent(repository, k -> new HashSet<>()).add(id);
                }
            }
            return new Candidates(newest, recent, unclaimed);
        }

        /** The artifacts of a scope holding these repositories; every artifact when null (the organisation). */
        Set<Long> in(Set<String> repositories) {
            Set<Long> ids = new HashSet<>();
            if (repositories == null) {
                ids.addAll(newestByRepository.values());
                recentByRepository.values().forEach(ids::addAll);
                ids.addAll(recentUnclaimed);
                return ids;
            }
            for (String repository : repositories) {
                Long newest = newestByRepository.get(repository);
                if (newest != null) {
                    ids.add(newest);
                }
                ids.addAll(recentByRepository.getOrDefault(repository, Set.of()));
            }
            return ids;
        }
    }

    /** The checks of these artifacts (ids) now, newest first. */
    List<ArtifactCoverage> describe(Collection<Long> ids) {
        return describe(ids, OffsetDateTime.ofInstant(clock.instant(), java.time.ZoneOffset.UTC));
    }

    private List<ArtifactCoverage> describe(Collection<Long> ids, OffsetDateTime asOf) {
        List<ArtifactCoverage> scope = new ArrayList<>(describeById(ids, asOf).values());
        scope.sort(Comparator.comparing(ArtifactCoverage::publishedAt).reversed().thenComparing(ArtifactCoverage::digest));
        return scope;
    }

    /**
     * The checks of these artifacts at {@code asOf}, by id (ids of no artifact are left out): only the
     * evidence recorded by then counts.
     */
    private Map<Long, ArtifactCoverage> describeById(Collection<Long> ids, OffsetDateTime asOf) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        OffsetDateTime fresh = asOf.minus(settings.scanFreshness());
        Map<Long, String> digests = new HashMap<>();
        Map<Long, OffsetDateTime> published = new HashMap<>();
        Map<Long, Set<String>> repositoriesById = new HashMap<>();
        Map<Long, String> bestSignature = new HashMap<>();
        Map<Long, OffsetDateTime> lastScan = new HashMap<>();
        Set<Long> sboms = new HashSet<>();
        Set<Long> provenance = new HashSet<>();
        Map<Long, List<String>> tags = new HashMap<>();
        for (List<Long> batch : batches(ids)) {
            db.select(ARTIFACT.ID, ARTIFACT.DIGEST, ARTIFACT.PUBLISHED_AT).from(ARTIFACT).where(ARTIFACT.ID.in(batch)).forEach(r -> {
                digests.put(r.value1(), r.value2());
                published.put(r.value1(), r.value3());
            });
            db.select(ARTIFACT_REPOSITORY.ARTIFACT_ID, ARTIFACT_REPOSITORY.REPOSITORY).from(ARTIFACT_REPOSITORY)
                    .where(ARTIFACT_REPOSITORY.ARTIFACT_ID.in(batch)).and(ARTIFACT_REPOSITORY.FIRST_SEEN_AT.le(asOf))
                    .forEach(r -> repositoriesById.computeIfAbsent(r.value1(), k -> new TreeSet<>()).add(r.value2()));
            // A signature counts with the verdict stored for it, once that verdict was recorded (a verdict
            // it replaced is not kept, so before verified_at the signature is not counted at all).
            db.select(SIGNATURE.ARTIFACT_ID, SIGNATURE.STATUS).from(SIGNATURE).where(SIGNATURE.ARTIFACT_ID.in(batch))
                    .and(SIGNATURE.VERIFIED_AT.le(asOf))
                    .forEach(r -> bestSignature.merge(r.value1(), r.value2(), ArtifactFigures::better));
            db.select(SCAN_REPORT.ARTIFACT_ID, org.jooq.impl.DSL.max(SCAN_REPORT.SCANNED_AT)).from(SCAN_REPORT)
                    .where(SCAN_REPORT.ARTIFACT_ID.in(batch)).and(SCAN_REPORT.INGESTED_AT.le(asOf)).groupBy(SCAN_REPORT.ARTIFACT_ID)
                    .forEach(r -> lastScan.put(r.value1(), r.value2()));
            sboms.addAll(db.selectDistinct(SBOM.ARTIFACT_ID).from(SBOM).where(SBOM.ARTIFACT_ID.in(batch))
                    .and(SBOM.INGESTED_AT.le(asOf)).fetch(SBOM.ARTIFACT_ID));
            provenance.addAll(linkedToKnownRuns(batch, asOf));
            db.select(ARTIFACT_TAG.ARTIFACT_ID, ARTIFACT_TAG.TAG).from(ARTIFACT_TAG).where(ARTIFACT_TAG.ARTIFACT_ID.in(batch))
                    .orderBy(ARTIFACT_TAG.TAG).forEach(r -> tags.computeIfAbsent(r.value1(), k -> new ArrayList<>()).add(r.value2()));
        }
        Map<Long, ArtifactCoverage> described = new HashMap<>();
        for (long id : ids) {
            if (!digests.containsKey(id)) {
                continue;
            }
            String status = bestSignature.get(id);
            OffsetDateTime scanned = lastScan.get(id);
            described.put(id, new ArtifactCoverage(digests.get(id), List.copyOf(repositoriesById.getOrDefault(id, Set.of())),
                    tags.getOrDefault(id, List.of()), published.get(id).toInstant(), "verified".equals(status),
                    status != null && !"verified".equals(status), status, scanned != null && !scanned.isBefore(fresh),
                    scanned == null ? null : scanned.toInstant(), sboms.contains(id), provenance.contains(id)));
        }
        return described;
    }

    /**
     * Coverage per team (teams that own services with image repositories), for the pages and the
     * metrics feature's rollups.
     */
    public Map<String, CoverageFigures> byTeam(Duration window) {
        Map<String, CoverageFigures> figures = new TreeMap<>();
        for (ServiceSummary s : catalog.services()) {
            if (s.owningTeam() != null && !s.artifactRepositories().isEmpty() && !figures.containsKey(s.owningTeam())) {
                figures.put(s.owningTeam(), coverage(window, s.owningTeam(), null));
            }
        }
        return figures;
    }

    /** Repositories in the filter; null means every artifact (the organisation). */
    Set<String> repositoriesOf(String team, String service) {
        boolean byTeam = team != null && !team.isBlank();
        boolean byService = service != null && !service.isBlank();
        if (!byTeam && !byService) {
            return null;
        }
        if (byTeam && catalog.team(team).isEmpty()) {
            throw new IllegalArgumentException("No team named '" + team + "'");
        }
        if (byService && catalog.service(service).isEmpty()) {
            throw new IllegalArgumentException("No service named '" + service + "'");
        }
        return repositoriesOf(team, service, catalog.services(), null);
    }

    /**
     * Repositories in the filter, from a list of the catalog's services; null for the organisation.
     *
     * @param teams the catalog's team names, to refuse an unknown team; null when already checked
     */
    private static Set<String> repositoriesOf(String team, String service, List<ServiceSummary> services, Set<String> teams) {
        boolean byTeam = team != null && !team.isBlank();
        boolean byService = service != null && !service.isBlank();
        if (!byTeam && !byService) {
            return null;
        }
        if (teams != null && byTeam && !teams.contains(team)) {
            throw new IllegalArgumentException("No team named '" + team + "'");
        }
        if (teams != null && byService && services.stream().noneMatch(s -> s.name().equals(service))) {
            throw new IllegalArgumentException("No service named '" + service + "'");
        }
        Set<String> repositories = new HashSet<>();
        for (ServiceSummary s : services) {
            if ((!byTeam || team.equals(s.owningTeam())) && (!byService || service.equals(s.name()))) {
                repositories.addAll(s.artifactRepositories());
            }
        }
        return repositories;
    }

    private static boolean newer(OffsetDateTime at, long id, OffsetDateTime otherAt, long otherId) {
        return at.isAfter(otherAt) || at.isEqual(otherAt) && id > otherId;
    }

    /** Of two signature statuses, the one that says more for the artifact (verified wins). */
    private static String better(String a, String b) {
        return rank(a) >= rank(b) ? a : b;
    }

    private static int rank(String status) {
        return switch (status) {
            case "verified" -> 9;
            case "digest-mismatch" -> 5;
            case "bad-signature" -> 4;
            case "unknown-key" -> 3;
            case "keyless-not-verified" -> 2;
            case "no-trusted-key" -> 1;
            default -> 0;
        };
    }

    private static Ratio ratio(List<ArtifactCoverage> scope, Predicate<ArtifactCoverage> passes) {
        return new Ratio(scope.stream().filter(passes).count(), scope.size());
    }

    private static List<List<Long>> batches(Collection<Long> ids) {
        List<Long> all = new ArrayList<>(ids);
        List<List<Long>> batches = new ArrayList<>();
        for (int i = 0; i < all.size(); i += 1000) {
            batches.add(all.subList(i, Math.min(all.size(), i + 1000)));
        }
        return batches;
    }
}

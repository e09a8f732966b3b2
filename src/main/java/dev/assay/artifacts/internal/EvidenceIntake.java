package dev.assay.artifacts.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.assay.artifacts.internal.ArtifactStore.ArtifactFacts;
import dev.assay.artifacts.internal.EvidenceStore.AttestationFacts;
import dev.assay.artifacts.internal.EvidenceStore.SignatureFacts;
import dev.assay.artifacts.internal.EvidenceStore.Stored;
import dev.assay.artifacts.internal.parse.ArtifactRef;
import dev.assay.artifacts.internal.parse.CosignSignature;
import dev.assay.artifacts.internal.parse.CycloneDxParser;
import dev.assay.artifacts.internal.parse.DsseEnvelope;
import dev.assay.artifacts.internal.parse.EvidenceFormat;
import dev.assay.artifacts.internal.parse.FormatDetector;
import dev.assay.artifacts.internal.parse.GrypeReportParser;
import dev.assay.artifacts.internal.parse.InTotoStatement;
import dev.assay.artifacts.internal.parse.OsvParser;
import dev.assay.artifacts.internal.parse.ParsedSbom;
import dev.assay.artifacts.internal.parse.ParsedScan;
import dev.assay.artifacts.internal.parse.SarifParser;
import dev.assay.artifacts.internal.parse.SigstoreBundle;
import dev.assay.artifacts.internal.parse.SimpleSigningPayload;
import dev.assay.artifacts.internal.parse.SlsaProvenance;
import dev.assay.artifacts.internal.parse.SpdxJsonParser;
import dev.assay.artifacts.internal.parse.TrivyReportParser;
import dev.assay.artifacts.internal.verify.CertificateIdentity;
import dev.assay.artifacts.internal.verify.ExpectedIdentity;
import dev.assay.artifacts.internal.verify.SignatureVerifier;
import dev.assay.artifacts.internal.verify.TrustedKey;
import dev.assay.artifacts.internal.verify.Verification;
import dev.assay.common.AuditEvent;
import dev.assay.common.UntrustedJson;
import tools.jackson.databind.JsonNode;

/**
 * The one way evidence documents come in, whether pushed to {@code /api/v1/ingest/{kind}}, read by a
 * {@code files} source or fetched from a registry: the format is detected (or named), the document
 * parsed and checked against the artifact it is about ({@link #prepare}, no writes), then stored with
 * its signatures verified ({@link #store}).
 */
@Service
public class EvidenceIntake {

    static final Set<String> CYCLONEDX_PREDICATES = Set.of("https://cyclonedx.org/bom", "https://cyclonedx.org/bom/v1.4",
            "https://cyclonedx.org/bom/v1.5", "https://cyclonedx.org/bom/v1.6");
    static final Set<String> SPDX_PREDICATES = Set.of("https://spdx.dev/Document", "https://spdx.dev/Document/v2.3");
    static final String VULN_PREDICATE = "https://cosign.sigstore.dev/attestation/vuln/v1";

    private final UntrustedJson json;
    private final ArtifactStore artifacts;
    private final EvidenceStore evidence;
    private final TrustedKeys trustedKeys;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final SignatureVerifier verifier;
    private final CycloneDxParser cyclonedx = new CycloneDxParser();

    EvidenceIntake(UntrustedJson json, ArtifactStore artifacts, EvidenceStore evidence, TrustedKeys trustedKeys, Clock clock,
            ApplicationEventPublisher events, SigstoreTrust sigstore) {
        this.json = json;
        this.artifacts = artifacts;
        this.evidence = evidence;
        this.trustedKeys = trustedKeys;
        this.clock = clock;
        this.events = events;
        this.verifier = sigstore.verifier();
    }

    /**
     * A document to take in.
     *
     * @param kind     {@code sbom}, {@code scan}, {@code provenance}, {@code signature}, or null for any
     * @param format   a format id ({@code ?format=}), or null to detect it
     * @param artifact the artifact the caller says the document is about, or null to take it from the document
     * @param origin   {@code ingest}, {@code file}, {@code registry}
     */
    public record Request(String kind, String format, ArtifactRef artifact, String body, String origin, String sourceId) {
    }

    /** A parsed, checked document, ready to store. {@code targets} with a null repository must already exist. */
    public record Prepared(String kind, EvidenceFormat format, List<ArtifactRef> targets, String documentSha256, Object content,
            String origin, String sourceId) {
    }

    record AttestationDocument(String envelopeFormat, String payloadType, DsseEnvelope envelope, SigstoreBundle bundle,
            InTotoStatement statement, SlsaProvenance provenance, Object embedded) {
    }

    record SignatureDocument(CosignSignature cosign, SigstoreBundle bundle, byte[] signedBytes, String claimedDigest,
            String dockerReference) {
    }

    /**
     * Parses and checks a document.
     *
     * @throws IllegalArgumentException with a reason a person can act on
     */
    public Prepared prepare(Request request) {
        Prepared prepared = parse(request);
        for (ArtifactRef target : prepared.targets()) {
            if (target.repository() == null) {
                knownDigest(target.digest());
            }
        }
        return prepared;
    }

    private Prepared parse(Request request) {
        String body = request.body();
        if (body == null || body.isBlank()) {
            throw new IllegalArgumentException("the document is empty");
        }
        EvidenceFormat format = null;
        if (request.format() != null && !request.format().isBlank()) {
            format = EvidenceFormat.byId(request.format()).orElseThrow(() -> new IllegalArgumentException(
                    "unknown format '" + request.format() + "'; formats: " + EvidenceFormat.ids()));
        }
        JsonNode node = null;
        if (format == null) {
            if (FormatDetector.isXml(body)) {
                format = FormatDetector.detectXml(body).orElseThrow(() -> new IllegalArgumentException(
                        "an XML document that is not a CycloneDX BOM (namespace http://cyclonedx.org/schema/bom/…)"));
            } else {
                node = json.readTree(CosignSignature.stripHeader(body));
                format = FormatDetector.detect(node).orElseThrow(() -> new IllegalArgumentException(
                        "the document's format is not recognised; name it with ?format= (one of " + EvidenceFormat.ids() + ")"));
            }
        }
        if (request.kind() != null && !format.suits(request.kind())) {
            throw new IllegalArgumentException("a " + format.id() + " document is not a " + request.kind() + " document");
        }
        if (node == null && format != EvidenceFormat.CYCLONEDX_XML) {
            node = json.readTree(CosignSignature.stripHeader(body));
        }
        String sha = Digests.sha256Hex(body.getBytes(StandardCharsets.UTF_8));
        ArtifactRef artifact = request.artifact();
        switch (format) {
            case CYCLONEDX_JSON, CYCLONEDX_XML, SPDX_JSON -> {
                ParsedSbom sbom = format == EvidenceFormat.CYCLONEDX_XML ? cyclonedx.parseXml(body)
                        : format == EvidenceFormat.CYCLONEDX_JSON ? cyclonedx.parseJson(body) : new SpdxJsonParser().parse(node);
                return new Prepared("sbom", format, List.of(documentTarget(artifact, sbom.namedArtifacts())), sha, sbom,
                        request.origin(), request.sourceId());
            }
            case TRIVY, GRYPE, SARIF, OSV -> {
                ParsedScan scan = parseScan(format, node);
                return new Prepared("scan", format, List.of(documentTarget(artifact, scan.namedArtifacts())), sha, scan,
                        request.origin(), request.sourceId());
            }
            case DSSE -> {
                DsseEnvelope envelope = DsseEnvelope.parse(node);
                return attestation("dsse", envelope, null, artifact, sha, request);
            }
            case IN_TOTO -> {
                InTotoStatement statement = InTotoStatement.parse(node);
                AttestationDocument document = new AttestationDocument("in-toto", "application/vnd.in-toto+json", null, null,
                        statement, SlsaProvenance.from(statement).orElse(null), embedded(statement));
                return new Prepared("provenance", format, statementTargets(statement, artifact), sha, document,
                        request.origin(), request.sourceId());
            }
            case SIGSTORE_BUNDLE -> {
                SigstoreBundle bundle = SigstoreBundle.parse(node);
                if (bundle.dsse() != null) {
                    return attestation("sigstore-bundle", bundle.dsse(), bundle, artifact, sha, request);
                }
                String claimed = "sha256:" + java.util.HexFormat.of().formatHex(bundle.messageSignature().digest());
                ArtifactRef target = artifact != null ? artifact : knownDigest(claimed);
                return new Prepared("signature", format, List.of(target), sha, new SignatureDocument(null, bundle,
                        body.getBytes(StandardCharsets.UTF_8), claimed, null), request.origin(), request.sourceId());
            }
            case COSIGN -> {
                CosignSignature cosign = CosignSignature.fromSigstoreJson(node);
                return cosignSignature(cosign, artifact, sha, request);
            }
            default -> throw new IllegalStateException(format.toString());
        }
    }

    /** A cosign signature whose payload and annotations were read elsewhere (a registry's .sig manifest). */
    public Prepared cosignSignature(CosignSignature cosign, ArtifactRef artifact, String sha, Request request) {
        SimpleSigningPayload payload = readPayload(cosign, artifact);
        ArtifactRef target = artifact;
        if (target == null) {
            String repository = payload.dockerReference();
            if (repository != null && repository.contains("@")) {
                repository = repository.substring(0, repository.indexOf('@'));
            }
            target = ArtifactRef.tryParse(repository + "@" + payload.dockerManifestDigest()).orElse(null);
            if (target == null) {
                target = knownDigest(payload.dockerManifestDigest());
            }
        }
        return new Prepared("signature", EvidenceFormat.COSIGN, List.of(target), sha,
                new SignatureDocument(cosign, null, cosign.payload(), payload == null ? null : payload.dockerManifestDigest(),
                        payload == null ? null : payload.dockerReference()),
                request.origin(), request.sourceId());
    }

    /**
     * The simple-signing payload; null when it cannot be read but the caller named the artifact (the
     * signature is then stored as malformed, which is a fact about the artifact worth showing).
     */
    private SimpleSigningPayload readPayload(CosignSignature cosign, ArtifactRef artifact) {
        try {
            return SimpleSigningPayload.parse(json.readTree(cosign.payloadText()));
        } catch (IllegalArgumentException e) {
            if (artifact == null) {
                throw new IllegalArgumentException("the signature payload cannot be read (" + e.getMessage()
                        + ") and no ?artifact= names the artifact");
            }
            return null;
        }
    }

    private Prepared attestation(String envelopeFormat, DsseEnvelope envelope, SigstoreBundle bundle, ArtifactRef artifact,
            String sha, Request request) {
        InTotoStatement statement;
        try {
            statement = InTotoStatement.parse(json.readTree(new String(envelope.payload(), StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the DSSE payload (" + envelope.payloadType() + ") is not an in-toto Statement: "
                    + e.getMessage());
        }
        AttestationDocument document = new AttestationDocument(envelopeFormat, envelope.payloadType(), envelope, bundle, statement,
                SlsaProvenance.from(statement).orElse(null), embedded(statement));
        return new Prepared("provenance", envelopeFormat.equals("dsse") ? EvidenceFormat.DSSE : EvidenceFormat.SIGSTORE_BUNDLE,
                statementTargets(statement, artifact), sha, document, request.origin(), request.sourceId());
    }

    /** SBOM and vulnerability predicates are documents of their own, routed to the same parsers. */
    private Object embedded(InTotoStatement statement) {
        JsonNode predicate = statement.predicate();
        if (predicate == null) {
            return null;
        }
        String type = statement.predicateType();
        if (CYCLONEDX_PREDICATES.contains(type)) {
            return cyclonedx.parseJson(predicate.toString());
        }
        if (SPDX_PREDICATES.contains(type)) {
            return new SpdxJsonParser().parse(predicate);
        }
        if (VULN_PREDICATE.equals(type)) {
            JsonNode result = predicate.path("scanner").path("result");
            if (result.isObject()) {
                Optional<EvidenceFormat> format = FormatDetector.detect(result);
                if (format.isPresent() && format.get().suits("scan")) {
                    return parseScan(format.get(), result);
                }
            }
        }
        return null;
    }

    private static ParsedScan parseScan(EvidenceFormat format, JsonNode node) {
        return switch (format) {
            case TRIVY -> new TrivyReportParser().parse(node);
            case GRYPE -> new GrypeReportParser().parse(node);
            case SARIF -> new SarifParser().parse(node);
            case OSV -> new OsvParser().parse(node);
            default -> throw new IllegalArgumentException(format.id() + " is not a scan report format");
        };
    }

    /** The artifact an SBOM or scan is about: the caller's, checked against what the document says, else the document's. */
    private static ArtifactRef documentTarget(ArtifactRef given, List<ArtifactRef> named) {
        if (given != null) {
            if (!named.isEmpty() && named.stream().noneMatch(n -> n.digest().equals(given.digest()))) {
                throw new IllegalArgumentException("the document describes " + named.stream().map(ArtifactRef::toString)
                        .collect(Collectors.joining(", ")) + ", not " + given);
            }
            return given;
        }
        return named.stream().filter(n -> n.repository() != null).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "the document does not say which artifact it describes: add ?artifact=<repository>@sha256:<hex>"));
    }

    /**
     * The artifacts a Statement is about: the caller's if it is a subject; else the subjects named as
     * an OCI repository (cosign names them so), else those subjects already known by digest.
     */
    private List<ArtifactRef> statementTargets(InTotoStatement statement, ArtifactRef given) {
        List<String> digests = statement.subjects().stream().map(InTotoStatement.Subject::ociDigest)
                .filter(ArtifactRef::isDigest).toList();
        if (given != null) {
            if (!digests.contains(given.digest())) {
                throw new IllegalArgumentException("the statement's subjects (" + (digests.isEmpty() ? "none with a sha256 digest"
                        : String.join(", ", digests)) + ") do not include the artifact " + given.digest());
            }
            return List.of(given);
        }
        Map<String, ArtifactRef> targets = new LinkedHashMap<>();
        Set<String> known = artifacts.knownDigests(digests);
        for (InTotoStatement.Subject subject : statement.subjects()) {
            String digest = subject.ociDigest();
            if (!ArtifactRef.isDigest(digest)) {
                continue;
            }
            Optional<ArtifactRef> named = ArtifactRef.tryParse(subject.name() + "@" + digest);
            if (named.isPresent() && named.get().repository() != null && named.get().repository().contains("/")) {
                targets.putIfAbsent(digest, named.get());
            } else if (known.contains(digest)) {
                targets.putIfAbsent(digest, new ArtifactRef(null, digest));
            }
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("none of the statement's subjects is a known artifact ("
                    + (digests.isEmpty() ? "no sha256 digests" : String.join(", ", digests))
                    + "): name it with ?artifact=<repository>@sha256:<hex>");
        }
        return new ArrayList<>(targets.values());
    }

    private ArtifactRef knownDigest(String digest) {
        if (digest == null || !ArtifactRef.isDigest(digest) || artifacts.knownDigests(List.of(digest)).isEmpty()) {
            throw new IllegalArgumentException("the document names no repository and its digest " + digest
                    + " is not a known artifact: name it with ?artifact=<repository>@sha256:<hex>");
        }
        return new ArtifactRef(null, digest);
    }

    /** Stores a prepared document for each artifact it is about; signatures are verified here. */
    @Transactional
    public List<Stored> store(Prepared prepared) {
        List<Stored> stored = new ArrayList<>();
        OffsetDateTime now = OffsetDateTime.now(clock);
        for (ArtifactRef target : prepared.targets()) {
            long artifactId = target.repository() != null
                    ? artifacts.ensure(target, ArtifactFacts.namedBy(now), prepared.sourceId())
                    : artifacts.idByDigest(target.digest()).orElseThrow(() -> new IllegalArgumentException(
                            "the artifact " + target.digest() + " is not known"));
            stored.addAll(storeFor(artifactId, target.digest(), prepared));
        }
        return stored;
    }

    /**
     * Stores a pushed document and records who pushed it in the audit log, in one transaction. A
     * document that was already stored changes nothing and adds no audit row.
     */
    @Transactional
    public List<Stored> storePushed(Prepared prepared, String actor) {
        List<Stored> stored = store(prepared);
        if (stored.stream().noneMatch(Stored::created)) {
            return stored;
        }
        String references = stored.stream().map(Stored::reference).collect(Collectors.joining(","));
        for (ArtifactRef target : prepared.targets()) {
            events.publishEvent(new AuditEvent(actor, "artifact.evidence-ingested", "artifact", target.digest(), null,
                    "{\"kind\":\"" + prepared.kind() + "\",\"format\":\"" + prepared.format().id() + "\",\"stored\":\""
                            + references + "\"}"));
        }
        return stored;
    }

    List<Stored> storeFor(long artifactId, String digest, Prepared prepared) {
        Object content = prepared.content();
        String origin = prepared.origin();
        String sourceId = prepared.sourceId();
        if (content instanceof ParsedSbom sbom) {
            return List.of(evidence.storeSbom(artifactId, sbom, prepared.documentSha256(), origin, sourceId));
        }
        if (content instanceof ParsedScan scan) {
            return List.of(evidence.storeScan(artifactId, scan, prepared.documentSha256(), origin, sourceId));
        }
        List<String> repositories = artifacts.repositoriesOf(artifactId);
        List<TrustedKey> keys = trustedKeys.forArtifact(repositories, sourceId);
        List<ExpectedIdentity> identities = trustedKeys.identitiesForArtifact(repositories);
        if (content instanceof AttestationDocument a) {
            Verification verification;
            String identity = null;
            if (a.bundle() != null) {
                verification = verifier.verifyBundle(digest, a.bundle(), keys, identities);
                identity = a.bundle().certificatePem() == null ? null : CertificateIdentity.describe(a.bundle().certificatePem());
            } else if (a.envelope() != null) {
                verification = verifier.verifyDsse(a.envelope(), keys, null);
            } else {
                verification = Verification.failed(Verification.UNSIGNED, "an unsigned in-toto Statement: nobody vouches for it");
            }
            int signatures = a.envelope() == null ? 0 : a.envelope().signatures().size();
            List<Stored> stored = new ArrayList<>();
            stored.add(evidence.storeAttestation(artifactId, new AttestationFacts(a.envelopeFormat(), a.payloadType(), a.statement(),
                    signatures, verification, identity, a.provenance()), prepared.documentSha256(), origin, sourceId));
            if (a.embedded() instanceof ParsedSbom sbom) {
                stored.add(evidence.storeSbom(artifactId, sbom, prepared.documentSha256(), "attestation", sourceId));
            } else if (a.embedded() instanceof ParsedScan scan) {
                stored.add(evidence.storeScan(artifactId, scan, prepared.documentSha256(), "attestation", sourceId));
            }
            return stored;
        }
        if (content instanceof SignatureDocument s) {
            if (s.cosign() != null) {
                Verification verification = verifier.verifyCosign(digest, s.cosign(), keys, identities);
                String identity = s.cosign().certificatePem() == null ? null : CertificateIdentity.describe(s.cosign().certificatePem());
                return List.of(evidence.storeSignature(artifactId, new SignatureFacts("cosign", s.signedBytes(),
                        s.cosign().signatureBase64() == null ? "" : s.cosign().signatureBase64(), s.cosign().certificatePem(),
                        s.claimedDigest(), s.dockerReference(), verifier.rekorKeyFingerprint(s.cosign().bundleJson()), identity,
                        verification, s.cosign().bundleJson()), origin, sourceId));
            }
            SigstoreBundle bundle = s.bundle();
            Verification verification = verifier.verifyBundle(digest, bundle, keys, identities);
            String identity = bundle.certificatePem() == null ? null : CertificateIdentity.describe(bundle.certificatePem());
            return List.of(evidence.storeSignature(artifactId, new SignatureFacts("sigstore-bundle", s.signedBytes(),
                    java.util.Base64.getEncoder().encodeToString(bundle.messageSignature().signature()), bundle.certificatePem(),
                    s.claimedDigest(), null, bundle.publicKeyHint(), identity, verification, null), origin, sourceId));
        }
        throw new IllegalStateException("unknown evidence " + content);
    }
}

package dev.assay.artifacts.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.util.FileSystemUtils;

import dev.assay.DatabaseCleaner;
import dev.assay.artifacts.ArtifactCoverage;
import dev.assay.artifacts.ArtifactFigures;
import dev.assay.artifacts.ArtifactsIntegrationTest;
import dev.assay.artifacts.CoverageFigures;
import dev.assay.artifacts.Fixtures;
import dev.assay.catalog.Ratio;
import dev.assay.collect.CollectionLauncher;
import dev.assay.collect.CollectionRuns;
import dev.assay.collect.JobExecutions;
import dev.assay.collect.JobStatus;

/**
 * The OCI registry collector against a real registry: Debian's docker-registry (distribution 2.8) on
 * loopback, filled through the Distribution API with images, an index with a BuildKit attestation
 * manifest, cosign-scheme signatures (valid, tampered, by an untrusted key, for another digest), a
 * signed SLSA attestation, an SBOM and a scan report attached by the OCI referrers tag schema; then
 * collected, and the coverage figures checked exactly. A second registry requires htpasswd Basic auth.
 */
@Tag("registry")
@ArtifactsIntegrationTest
class RealRegistryCollectTests {

    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    static final String LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";

    static Path folder;
    static RegistryProcess open;
    static RegistryProcess secured;
    static final TestSigner release = new TestSigner();
    static final TestSigner stranger = new TestSigner();
    static String m0;
    static String m1;
    static String i1;
    static String m3;
    static String m4;
    static String secureImage;

    @Autowired CollectionLauncher launcher;
    @Autowired JobExecutions executions;
    @Autowired ArtifactFigures figures;
    @Autowired DataSource dataSource;
    @Autowired MockMvc mvc;
    JdbcTemplate jdbc;

    @BeforeAll
    static void startRegistriesAndPush() throws Exception {
        folder = Files.createTempDirectory("assay-registry-test");
        open = RegistryProcess.start(Files.createDirectories(folder.resolve("open")), null);
        String hash = new BCryptPasswordEncoder().encode("s3cret-registry-password");
        secured = RegistryProcess.start(Files.createDirectories(folder.resolve("secured")), "assay:" + hash + "\n");
        pushOpenRegistry(new OciPusher(open.uri(), null));
        OciPusher securePusher = new OciPusher(secured.uri(), "assay:s3cret-registry-password");
        secureImage = image(securePusher, "acme/payments-api", "3.0", Instant.now().minus(5, ChronoUnit.HOURS), "secure layer");
        Files.writeString(folder.resolve("release.pub"), release.publicKeyPem());
        Files.writeString(folder.resolve("catalog.yml"), """
                apiVersion: backstage.io/v1alpha1
                kind: Group
                metadata:
                  name: payments
                spec:
                  type: team
                ---
                apiVersion: backstage.io/v1alpha1
                kind: Group
                metadata:
                  name: ledger
                spec:
                  type: team
                ---
                apiVersion: backstage.io/v1alpha1
                kind: Component
                metadata:
                  name: payments-api
                  annotations:
                    assay.dev/image-repositories: %1$s/acme/payments-api
                spec:
                  type: service
                  owner: payments
                ---
                apiVersion: backstage.io/v1alpha1
                kind: Component
                metadata:
                  name: ledger-service
                  annotations:
                    assay.dev/image-repositories: %1$s/acme/ledger-service
                spec:
                  type: service
                  owner: ledger
                """.formatted(open.host()));
        Files.writeString(folder.resolve("sources.yml"), """
                sources:
                  - id: test-catalog
                    type: files
                    paths:
                      - catalog.yml
                  - id: test-registry
                    type: oci-registry
                    base-url: %s
                    repositories:
                      - acme/payments-api
                      - acme/ledger-service
                    trusted-keys:
                      - release.pub
                  - id: secured-registry
                    type: oci-registry
                    base-url: %s
                    token-env: TEST_SECURED_REGISTRY
                  - id: secured-registry-wrong-password
                    type: oci-registry
                    base-url: %s
                    token-env: TEST_SECURED_REGISTRY_WRONG
                    repositories:
                      - acme/payments-api
                """.formatted(open.uri(), secured.uri(), secured.uri()));
    }

    @DynamicPropertySource
    static void sources(DynamicPropertyRegistry registry) {
        registry.add("assay.sources-file", () -> folder.resolve("sources.yml").toString());
        registry.add("TEST_SECURED_REGISTRY", () -> "assay:s3cret-registry-password");
        registry.add("TEST_SECURED_REGISTRY_WRONG", () -> "assay:not-the-password");
    }

    @AfterAll
    static void stop() throws Exception {
        if (open != null) {
            open.close();
        }
        if (secured != null) {
            secured.close();
        }
        FileSystemUtils.deleteRecursively(folder);
    }

    /** An image: a config (with its creation time) and one layer, tagged. */
    static String image(OciPusher pusher, String name, String tag, Instant created, String layerContent) {
        String config = pusher.blob(name, OCI_CONFIG, "{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"" + created
                + "\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
        String layer = pusher.blob(name, LAYER, layerContent);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":" + config + ",\"layers\":[" + layer + "]}";
        return pusher.manifest(name, tag == null ? OciPusher.digest(manifest.getBytes()) : tag, OCI_MANIFEST, manifest);
    }

    /** What cosign pushes as {@code sha256-<hex>.<suffix>}: a manifest whose layers carry the evidence. */
    static void attach(OciPusher pusher, String name, String subject, String suffix, String layerMediaType, byte[] content,
            String annotations) {
        String config = pusher.blob(name, OCI_CONFIG, "{\"architecture\":\"\",\"config\":{},\"created\":\"0001-01-01T00:00:00Z\","
                + "\"os\":\"\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
        String layer = pusher.blob(name, layerMediaType, content);
        if (annotations != null) {
            layer = layer.substring(0, layer.length() - 1) + ",\"annotations\":" + annotations + "}";
        }
        pusher.manifest(name, "sha256-" + subject.substring(7) + suffix, OCI_MANIFEST,
                "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":" + config + ",\"layers\":[" + layer + "]}");
    }

    static void sign(OciPusher pusher, String name, String subject, TestSigner signer, String payload, String uploaded) {
        attach(pusher, name, subject, ".sig", "application/vnd.dev.cosign.simplesigning.v1+json", uploaded.getBytes(),
                "{\"dev.cosignproject.cosign/signature\":\"" + signer.sign(payload.getBytes()) + "\"}");
    }

    static void pushOpenRegistry(OciPusher pusher) {
        Instant now = Instant.now();
        String payments = "acme/payments-api";
        String reference = open.host() + "/" + payments;
        // an old image, out of the window and not the newest of its repository: out of scope
        m0 = image(pusher, payments, "0.9", now.minus(90, ChronoUnit.DAYS), "layer zero");
        // M1: signed with the trusted key, SLSA provenance signed with it, and an SBOM
        m1 = image(pusher, payments, "1.0", now.minus(1, ChronoUnit.DAYS), "layer one");
        String p1 = TestSigner.simpleSigningPayload(reference, m1);
        sign(pusher, payments, m1, release, p1, p1);
        String statement = "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"" + reference + "\",\"digest\":{"
                + "\"sha256\":\"" + m1.substring(7) + "\"}}],\"predicateType\":\"https://slsa.dev/provenance/v1\",\"predicate\":{"
                + "\"buildDefinition\":{\"buildType\":\"https://actions.github.io/buildtypes/workflow/v1\",\"externalParameters\":{},"
                + "\"resolvedDependencies\":[{\"uri\":\"git+https://github.com/acme/payments-api@refs/heads/main\","
                + "\"digest\":{\"gitCommit\":\"4f5c2e1d9b8a7f6e5d4c3b2a19081726354a6b7c\"}}]},\"runDetails\":{\"builder\":{\"id\":"
                + "\"https://github.com/actions/runner/github-hosted\"},\"metadata\":{\"invocationId\":"
                + "\"https://github.com/acme/payments-api/actions/runs/9001/attempts/1\"}}}}";
        attach(pusher, payments, m1, ".att", "application/vnd.dsse.envelope.v1+json", release.dsse(statement).getBytes(),
                "{\"predicateType\":\"https://slsa.dev/provenance/v1\"}");
        attach(pusher, payments, m1, ".sbom", "application/vnd.cyclonedx+json", Fixtures.bytes("sbom/cyclonedx-1.6-spec-valid-bom.cdx.json"),
                null);
        // I1: an index of two platform images and a BuildKit attestation manifest; its signature was tampered with
        String amd64 = image(pusher, payments, null, now.minus(2, ChronoUnit.HOURS), "amd64 layer");
        String arm64 = image(pusher, payments, null, now.minus(2, ChronoUnit.HOURS), "arm64 layer");
        String attestationManifest = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":"
                + pusher.blob(payments, OCI_CONFIG, "{}") + ",\"layers\":["
                + pusher.blob(payments, "application/vnd.in-toto+json", "{\"_type\":\"https://in-toto.io/Statement/v0.1\"}") + "]}";
        String attestation = pusher.manifest(payments, OciPusher.digest(attestationManifest.getBytes()), OCI_MANIFEST,
                attestationManifest);
        String index = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":["
                + "{\"mediaType\":\"" + OCI_MANIFEST + "\",\"digest\":\"" + amd64 + "\",\"size\":1,\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}},"
                + "{\"mediaType\":\"" + OCI_MANIFEST + "\",\"digest\":\"" + arm64 + "\",\"size\":1,\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\"}},"
                + "{\"mediaType\":\"" + OCI_MANIFEST + "\",\"digest\":\"" + attestation + "\",\"size\":1,\"annotations\":{"
                + "\"vnd.docker.reference.digest\":\"" + amd64 + "\",\"vnd.docker.reference.type\":\"attestation-manifest\"},"
                + "\"platform\":{\"architecture\":\"unknown\",\"os\":\"unknown\"}}]}";
        i1 = pusher.manifest(payments, "1.1", OCI_INDEX, index);
        String p2 = TestSigner.simpleSigningPayload(reference, i1);
        sign(pusher, payments, i1, release, p2, p2.replace("cosign container image signature", "cosign container image signaturf"));

        String ledger = "acme/ledger-service";
        String ledgerReference = open.host() + "/" + ledger;
        // M3: signed by a key nobody trusts; scanned (a Grype report attached by the OCI referrers tag schema)
        m3 = image(pusher, ledger, "2.0", now.minus(3, ChronoUnit.DAYS), "ledger layer");
        String p3 = TestSigner.simpleSigningPayload(ledgerReference, m3);
        sign(pusher, ledger, m3, stranger, p3, p3);
        String report = pusher.blob(ledger, "application/json", Fixtures.bytes("scanners/grype-image-report.json"));
        String reportManifest = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":"
                + pusher.blob(ledger, OCI_CONFIG, "{}") + ",\"layers\":[" + report + "]}";
        String reportDigest = pusher.manifest(ledger, OciPusher.digest(reportManifest.getBytes()), OCI_MANIFEST, reportManifest);
        pusher.manifest(ledger, "sha256-" + m3.substring(7), OCI_INDEX, "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX
                + "\",\"manifests\":[{\"mediaType\":\"" + OCI_MANIFEST + "\",\"digest\":\"" + reportDigest + "\",\"size\":"
                + reportManifest.length() + ",\"artifactType\":\"application/vnd.anchore.grype.report+json\"}]}");
        // M4: a valid signature by the trusted key, but over M3's digest
        m4 = image(pusher, ledger, "2.1", now.minus(1, ChronoUnit.DAYS), "ledger layer two");
        String p4 = TestSigner.simpleSigningPayload(ledgerReference, m3);
        sign(pusher, ledger, m4, release, p4, p4);
    }

    @BeforeEach
    void clean() {
        new DatabaseCleaner(dataSource).cleanAllExcept("app_user", "user_role");
        jdbc = new JdbcTemplate(dataSource);
        assertThat(CollectionRuns.collectAndWait(launcher, executions, "test-catalog").status()).isEqualTo("COMPLETED");
    }

    @Test
    void collectsImagesIndexesAndTheirEvidenceAndComputesExactCoverage() throws Exception {
        JobStatus run = CollectionRuns.collectAndWait(launcher, executions, "test-registry");

        assertThat(run.status()).as(run.exitMessage()).isEqualTo("COMPLETED");
        assertThat(run.read()).isEqualTo(5);
        assertThat(run.written()).isEqualTo(5);
        assertThat(run.quarantined()).isZero();
        assertThat(jdbc.queryForList("select repository || ':' || tag from artifact_tag order by 1", String.class)).containsExactly(
                open.host() + "/acme/ledger-service:2.0", open.host() + "/acme/ledger-service:2.1",
                open.host() + "/acme/payments-api:0.9", open.host() + "/acme/payments-api:1.0", open.host() + "/acme/payments-api:1.1");
        assertThat(jdbc.queryForList("select artifact_kind from artifact where digest = ?", String.class, i1)).containsExactly("index");
        assertThat(jdbc.queryForList("select os || '/' || architecture || case when attestation_manifest then ' attestation' else '' end"
                + " from artifact_platform"
                + " order by attestation_manifest, architecture", String.class))
                .containsExactly("linux/amd64", "linux/arm64", "unknown/unknown attestation");
        assertThat(jdbc.queryForList("select a.digest || ' ' || s.status from signature s join artifact a on a.id = s.artifact_id",
                String.class))
                .containsExactlyInAnyOrder(m1 + " verified", i1 + " bad-signature", m3 + " bad-signature", m4 + " digest-mismatch");
        assertThat(jdbc.queryForMap("select verified, status, key_name from attestation")).containsAllEntriesOf(Map.of(
                "verified", true, "status", "verified", "key_name", "release.pub"));
        assertThat(jdbc.queryForMap("select run_url, source_repository, source_commit from provenance")).containsAllEntriesOf(Map.of(
                "run_url", "https://github.com/acme/payments-api/actions/runs/9001/attempts/1",
                "source_repository", "https://github.com/acme/payments-api", "source_commit", "4f5c2e1d9b8a7f6e5d4c3b2a19081726354a6b7c"));
        assertThat(jdbc.queryForObject("select component_count from sbom", Integer.class)).isEqualTo(3);
        assertThat(jdbc.queryForMap("select scanner, result_count, origin from scan_report")).containsAllEntriesOf(Map.of(
                "scanner", "grype", "result_count", 2, "origin", "registry"));

        // provenance counts once its build is a CI run Assay knows: first it is not, then the run is pushed
        assertThat(figures.coverage(Duration.ofDays(30), null, null).provenance()).isEqualTo(new Ratio(0, 4));
        mvc.perform(post("/api/v1/ingest/pipeline-run").with(user("ci").roles("ADMIN")).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content("""
                        {"id": 9001, "name": "Release", "head_branch": "main", "head_sha": "4f5c2e1d9b8a7f6e5d4c3b2a19081726354a6b7c",
                         "path": ".github/workflows/release.yml", "run_number": 12, "event": "push", "status": "completed",
                         "conclusion": "success", "workflow_id": 7002, "run_attempt": 1,
                         "url": "https://api.github.com/repos/acme/payments-api/actions/runs/9001",
                         "html_url": "https://github.com/acme/payments-api/actions/runs/9001",
                         "created_at": "2026-11-20T10:00:00Z", "run_started_at": "2026-11-20T10:00:04Z",
                         "updated_at": "2026-11-20T10:05:04Z", "actor": {"login": "ci"},
                         "repository": {"full_name": "acme/payments-api", "name": "payments-api", "owner": {"login": "acme"}}}
                        """)).andExpect(status().isAccepted());

        CoverageFigures organisation = figures.coverage(Duration.ofDays(30), null, null);
        assertThat(organisation.signed()).isEqualTo(new Ratio(1, 4));
        assertThat(organisation.signedUnverified()).isEqualTo(new Ratio(3, 4));
        assertThat(organisation.sbom()).isEqualTo(new Ratio(1, 4));
        assertThat(organisation.provenance()).isEqualTo(new Ratio(1, 4));
        assertThat(organisation.scanned()).isEqualTo(new Ratio(1, 4));
        CoverageFigures payments = figures.coverage(Duration.ofDays(30), "payments", null);
        assertThat(List.of(payments.signed(), payments.signedUnverified(), payments.scanned(), payments.sbom(), payments.provenance()))
                .containsExactly(new Ratio(1, 2), new Ratio(1, 2), new Ratio(0, 2), new Ratio(1, 2), new Ratio(1, 2));
        CoverageFigures ledger = figures.coverage(Duration.ofDays(30), null, "ledger-service");
        assertThat(List.of(ledger.signed(), ledger.signedUnverified(), ledger.scanned(), ledger.sbom(), ledger.provenance()))
                .containsExactly(new Ratio(0, 2), new Ratio(2, 2), new Ratio(1, 2), new Ratio(0, 2), new Ratio(0, 2));
        // a window of 2 days: M3 (3 days old) leaves the scope; M0 stays out (not the newest of its repository)
        assertThat(figures.scope(Duration.ofDays(2), null, null)).extracting(ArtifactCoverage::digest)
                .containsExactlyInAnyOrder(i1, m1, m4);

        // collected again with nothing changed: every tag is read, nothing is written twice
        JobStatus again = CollectionRuns.collectAndWait(launcher, executions, "test-registry");
        assertThat(again.status()).isEqualTo("COMPLETED");
        assertThat(again.read()).isEqualTo(5);
        assertThat(again.written()).isZero();
        assertThat(jdbc.queryForObject("select count(*) from signature", Integer.class)).isEqualTo(4);
        assertThat(jdbc.queryForObject("select count(*) from artifact", Integer.class)).isEqualTo(5);
    }

    /** Without configured repositories the registry's /v2/_catalog lists them. */
    @Test
    void aRegistryBehindHtpasswdIsCollectedWithTheCredentialsAndRefusesWrongOnes() {
        JobStatus run = CollectionRuns.collectAndWait(launcher, executions, "secured-registry");
        assertThat(run.status()).as(run.exitMessage()).isEqualTo("COMPLETED");
        assertThat(jdbc.queryForList("select digest from artifact", String.class)).containsExactly(secureImage);

        JobStatus refused = CollectionRuns.collectAndWait(launcher, executions, "secured-registry-wrong-password");
        assertThat(refused.status()).isEqualTo("FAILED");
        assertThat(refused.exitMessage()).contains("answered 401").doesNotContain("not-the-password");
        assertThat(jdbc.queryForObject("select count(*) from artifact", Integer.class)).isEqualTo(1);
    }
}

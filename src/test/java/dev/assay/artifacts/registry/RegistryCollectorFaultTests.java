package dev.assay.artifacts.registry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.request;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import dev.assay.DatabaseCleaner;
import dev.assay.artifacts.ArtifactsIntegrationTest;
import dev.assay.artifacts.Fixtures;
import dev.assay.collect.CollectionLauncher;
import dev.assay.collect.CollectionRuns;
import dev.assay.collect.JobExecutions;
import dev.assay.collect.JobStatus;

/**
 * The OCI registry collector against a WireMock registry serving the published samples: the Bearer
 * token flow, tags paged by {@code Link}, the referrers API with a fallback to cosign tags, a real
 * cosign signature verified by Assay, and the faults — 404 repository, 503 and 429 with Retry-After,
 * a manifest over the size limit, a manifest whose content does not match its digest, referrers that
 * cannot be fetched, a connection reset and a timeout (retried), a manifest that is an HTML page or
 * Docker schema 1, a manifest cut short and a tags list cut short. Each fault is one quarantine row;
 * everything else is stored, and a collection after the registry recovers stores what failed and
 * nothing twice.
 */
@ArtifactsIntegrationTest
@Import(RecordingSleeper.class)
class RegistryCollectorFaultTests {

    static final String COSIGNED = "sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00";
    static final String BUILDX_INDEX = "sha256:e0a0a765d690a5104331cfbac88ebbbf01736c1f87aaa3cd455c516a5ea586a5";
    static final String TOKEN = "t0k3n-from-the-realm";
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";

    static WireMockServer registry;
    static Path folder;
    static String sigManifestDigest;

    @Autowired CollectionLauncher launcher;
    @Autowired JobExecutions executions;
    @Autowired DataSource dataSource;
    JdbcTemplate jdbc;

    @BeforeAll
    static void start() throws Exception {
        registry = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        registry.start();
        folder = Files.createTempDirectory("assay-wiremock-registry");
        Files.write(folder.resolve("cosign.pub"), Fixtures.bytes("interop/cosign-key-simplesigning/cosign.pub"));
        String host = "127.0.0.1:" + registry.port();
        Files.writeString(folder.resolve("catalog.yml"), """
                apiVersion: backstage.io/v1alpha1
                kind: Group
                metadata:
                  name: payments
                spec:
                  type: team
                ---
                apiVersion: backstage.io/v1alpha1
                kind: Component
                metadata:
                  name: payments-api
                  annotations:
                    assay.dev/image-repositories: %s/acme/payments-api
                spec:
                  type: service
                  owner: payments
                """.formatted(host));
        Files.writeString(folder.resolve("sources.yml"), """
                sources:
                  - id: test-catalog
                    type: files
                    paths:
                      - catalog.yml
                  - id: wiremock-registry
                    type: oci-registry
                    base-url: http://%1$s
                    token-env: TEST_WIREMOCK_REGISTRY
                    repositories:
                      - acme/payments-api
                      - acme/missing
                      - acme/ledger-service
                    trusted-keys:
                      - cosign.pub
                  - id: faulty-registry
                    type: oci-registry
                    base-url: http://%1$s
                    token-env: TEST_WIREMOCK_REGISTRY
                    repositories:
                      - acme/reset
                      - acme/slow
                      - acme/garbled
                      - acme/listcut
                """.formatted(host));
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry properties) {
        properties.add("assay.sources-file", () -> folder.resolve("sources.yml").toString());
        properties.add("TEST_WIREMOCK_REGISTRY", () -> "assay:token-pass");
        properties.add("assay.artifacts.max-manifest-bytes", () -> "20000");
        // A request that takes longer than this times out (the timeout fault delays its answer 4 s).
        properties.add("assay.collect.http.request-timeout", () -> "PT2S");
    }

    @AfterAll
    static void stop() throws Exception {
        registry.stop();
        FileSystemUtils.deleteRecursively(folder);
    }

    @BeforeEach
    void stubs() throws Exception {
        new DatabaseCleaner(dataSource).cleanAllExcept("app_user", "user_role");
        jdbc = new JdbcTemplate(dataSource);
        RecordingSleeper.WAITS.clear();
        registry.resetAll();
        assertThat(CollectionRuns.collectAndWait(launcher, executions, "test-catalog").status()).isEqualTo("COMPLETED");

        // Without the token every API call is challenged; the realm hands the token out for Basic credentials.
        registry.stubFor(any(urlMatching("/v2/.*")).atPriority(10).willReturn(aResponse().withStatus(401)
                .withHeader("WWW-Authenticate", "Bearer realm=\"http://127.0.0.1:" + registry.port()
                        + "/token\",service=\"registry.test\",scope=\"repository:acme/payments-api:pull\"")
                .withBody("{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}")));
        registry.stubFor(get(urlPathEqualTo("/token")).withBasicAuth("assay", "token-pass")
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"token\":\"" + TOKEN + "\"}")));
        registry.stubFor(authorised(get(urlEqualTo("/v2/"))).willReturn(aResponse().withBody("{}")));
        // with the token, what the registry does not have is not found (the referrers API included: it has none)
        registry.stubFor(any(urlMatching("/v2/.*")).atPriority(5).withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(aResponse().withStatus(404).withBody("{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}")));

        // acme/payments-api: two pages of tags; a real cosign-signed manifest; one too large; one not matching its digest
        byte[] cosigned = Fixtures.bytes("interop/cosign-key-simplesigning/manifest.json");
        registry.stubFor(authorised(get(urlEqualTo("/v2/acme/payments-api/tags/list?n=100"))).willReturn(aResponse()
                .withHeader("Link", "</v2/acme/payments-api/tags/list?n=100&last=huge>; rel=\"next\"")
                .withBody("{\"name\":\"acme/payments-api\",\"tags\":[\"1.0\",\"huge\"]}")));
        registry.stubFor(authorised(get(urlEqualTo("/v2/acme/payments-api/tags/list?n=100&last=huge"))).willReturn(aResponse()
                .withBody("{\"name\":\"acme/payments-api\",\"tags\":[\"sha256-" + COSIGNED.substring(7) + ".sig\",\"tampered\"]}")));
        manifest("acme/payments-api", "1.0", COSIGNED, DOCKER_MANIFEST, cosigned);
        manifest("acme/payments-api", COSIGNED, COSIGNED, DOCKER_MANIFEST, cosigned);
        // the signature, as cosign pushes it: a manifest whose layer is the payload and whose annotation is the signature
        byte[] payload = Fixtures.bytes("interop/cosign-key-simplesigning/payload.json");
        String signature = Fixtures.text("interop/cosign-key-simplesigning/signature.b64");
        byte[] sigManifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
                + "{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"size\":2,\"digest\":\"" + OciPusher.digest("{}".getBytes())
                + "\"},\"layers\":[{\"mediaType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"size\":" + payload.length
                + ",\"digest\":\"" + OciPusher.digest(payload) + "\",\"annotations\":{\"dev.cosignproject.cosign/signature\":\""
                + signature + "\"}}]}").getBytes(StandardCharsets.UTF_8);
        sigManifestDigest = OciPusher.digest(sigManifest);
        String sigTag = "sha256-" + COSIGNED.substring(7) + ".sig";
        manifest("acme/payments-api", sigTag, sigManifestDigest, "application/vnd.oci.image.manifest.v1+json", sigManifest);
        manifest("acme/payments-api", sigManifestDigest, sigManifestDigest, "application/vnd.oci.image.manifest.v1+json", sigManifest);
        registry.stubFor(authorised(get(urlEqualTo("/v2/acme/payments-api/blobs/" + OciPusher.digest(payload))))
                .willReturn(aResponse().withBody(payload)));
        byte[] huge = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"annotations\":{\"padding\":\""
                + "x".repeat(25_000) + "\"}}").getBytes(StandardCharsets.UTF_8);
        manifest("acme/payments-api", "huge", OciPusher.digest(huge), "application/vnd.oci.image.manifest.v1+json", huge);
        manifest("acme/payments-api", OciPusher.digest(huge), OciPusher.digest(huge), "application/vnd.oci.image.manifest.v1+json", huge);
        byte[] spec = Fixtures.bytes("registry/oci-image-manifest.image-spec-example.json");
        String claimed = "sha256:" + "b".repeat(64);
        manifest("acme/payments-api", "tampered", claimed, "application/vnd.oci.image.manifest.v1+json", spec);
        manifest("acme/payments-api", claimed, claimed, "application/vnd.oci.image.manifest.v1+json", spec);

        // acme/missing: unknown to the registry
        registry.stubFor(authorised(get(urlEqualTo("/v2/acme/missing/tags/list?n=100"))).willReturn(aResponse().withStatus(404)
                .withBody("{\"errors\":[{\"code\":\"NAME_UNKNOWN\"}]}")));

        // acme/ledger-service: tags/list fails once with 503; the index answers 429 once; its referrers API lists two
        // referrers whose manifests the registry does not have
        registry.stubFor(authorised(get(urlEqualTo("/v2/acme/ledger-service/tags/list?n=100"))).inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("recovered").willReturn(aResponse().withStatus(503)));
        registry.stubFor(authorised(get(urlEqualTo("/v2/acme/ledger-service/tags/list?n=100"))).inScenario("flaky")
                .whenScenarioStateIs("recovered").willReturn(aResponse().withBody("{\"name\":\"acme/ledger-service\",\"tags\":[\"multiarch\"]}")));
        byte[] index = Fixtures.bytes("registry/oci-image-index-buildx-with-attestation-manifest.json");
        registry.stubFor(authorised(request("HEAD", urlEqualTo("/v2/acme/ledger-service/manifests/multiarch"))).inScenario("limited")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("allowed")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2")));
        registry.stubFor(authorised(request("HEAD", urlEqualTo("/v2/acme/ledger-service/manifests/multiarch"))).inScenario("limited")
                .whenScenarioStateIs("allowed").willReturn(aResponse().withHeader("Docker-Content-Digest", BUILDX_INDEX)
                        .withHeader("Content-Type", "application/vnd.oci.image.index.v1+json")));
        manifest("acme/ledger-service", BUILDX_INDEX, BUILDX_INDEX, "application/vnd.oci.image.index.v1+json", index);
        byte[] amd64 = Fixtures.bytes("registry/oci-image-manifest-buildx-linux-amd64.json");
        manifest("acme/ledger-service", OciPusher.digest(amd64), OciPusher.digest(amd64), "application/vnd.oci.image.manifest.v1+json", amd64);
        registry.stubFor(authorised(get(urlEqualTo("/v2/acme/ledger-service/referrers/" + BUILDX_INDEX))).willReturn(aResponse()
                .withHeader("Content-Type", "application/vnd.oci.image.index.v1+json")
                .withBody(Fixtures.bytes("registry/oci-referrers-index-regclient-testrepo.json"))));
    }

    static MappingBuilder authorised(MappingBuilder mapping) {
        return mapping.atPriority(1).withHeader("Authorization", equalTo("Bearer " + TOKEN));
    }

    static void manifest(String name, String reference, String digest, String mediaType, byte[] body) {
        registry.stubFor(authorised(request("HEAD", urlEqualTo("/v2/" + name + "/manifests/" + reference))).willReturn(aResponse()
                .withHeader("Docker-Content-Digest", digest).withHeader("Content-Type", mediaType)));
        registry.stubFor(authorised(get(urlEqualTo("/v2/" + name + "/manifests/" + reference))).willReturn(aResponse()
                .withHeader("Docker-Content-Digest", digest).withHeader("Content-Type", mediaType).withBody(body)));
    }

    @Test
    void collectsWhatItCanAndQuarantinesEachFaultWithItsReason() {
        JobStatus run = CollectionRuns.collectAndWait(launcher, executions, "wiremock-registry");

        assertThat(run.status()).as(run.exitMessage()).isEqualTo("COMPLETED");
        assertThat(run.read()).isEqualTo(4);
        assertThat(run.written()).isEqualTo(2);
        assertThat(run.quarantined()).isEqualTo(5);
        String host = "127.0.0.1:" + registry.port();
        assertThat(jdbc.queryForList("select repository || ':' || tag from artifact_tag order by 1", String.class))
                .containsExactly(host + "/acme/ledger-service:multiarch", host + "/acme/payments-api:1.0");
        // the published cosign signature, collected through the cosign tag scheme, verified by Assay with cosign.pub
        assertThat(jdbc.queryForMap("select a.digest, s.verified, s.status, s.key_name, s.docker_reference from signature s"
                + " join artifact a on a.id = s.artifact_id")).containsAllEntriesOf(Map.of("digest", COSIGNED, "verified", true,
                        "status", "verified", "key_name", "cosign.pub",
                        "docker_reference", "192.168.64.2:5000/cosign-signed-single-sample"));
        assertThat(jdbc.queryForList("select os || '/' || architecture from artifact_platform order by 1", String.class))
                .containsExactly("linux/amd64", "unknown/unknown");
        assertThat(jdbc.queryForList("select kind || ' ' || location || ' ' || reason from quarantine"
                + " where source_id = 'wiremock-registry' order by kind, location", String.class)).containsExactly(
                "oci-evidence " + host + "/acme/ledger-service@" + BUILDX_INDEX
                        + " referrer sha256:0484e93c23cddf24a8400547119558312023295af241d4cd1eaf1b27145c5026 wiremock-registry: GET http://"
                        + host + "/v2/acme/ledger-service/manifests/sha256:0484e93c23cddf24a8400547119558312023295af241d4cd1eaf1b27145c5026"
                        + " answered 404: {\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}",
                "oci-evidence " + host + "/acme/ledger-service@" + BUILDX_INDEX
                        + " referrer sha256:741132f956e196c3858dab17e50ea977056f2f1ce1ad2900f11f4c8ff2d4203b wiremock-registry: GET http://"
                        + host + "/v2/acme/ledger-service/manifests/sha256:741132f956e196c3858dab17e50ea977056f2f1ce1ad2900f11f4c8ff2d4203b"
                        + " answered 404: {\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}",
                "oci-manifest " + host + "/acme/payments-api:huge wiremock-registry: GET http://" + host
                        + "/v2/acme/payments-api/manifests/" + OciPusher.digest(("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image"
                        + ".manifest.v1+json\",\"annotations\":{\"padding\":\"" + "x".repeat(25_000) + "\"}}").getBytes(StandardCharsets.UTF_8))
                        + " answered more than 20000 bytes, the limit for this kind of content",
                "oci-manifest " + host + "/acme/payments-api:tampered digest mismatch: /v2/acme/payments-api/manifests/sha256:" + "b".repeat(64)
                        + " answered content whose sha256 is " + OciPusher.digest(Fixtures.bytes("registry/oci-image-manifest.image-spec-example.json"))
                        + ", not sha256:" + "b".repeat(64) + "; not stored",
                "oci-repository " + host + "/acme/missing the registry does not know repository acme/missing (404 on tags/list)");
        // the 503 waited the first backoff step, the 429 its Retry-After
        assertThat(RecordingSleeper.WAITS).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
        // the token came from the realm named by the challenge, for Basic credentials from token-env
        registry.verify(getRequestedFor(urlPathEqualTo("/token")).withQueryParam("service", equalTo("registry.test"))
                .withQueryParam("scope", equalTo("repository:acme/payments-api:pull"))
                .withHeader("Authorization", equalTo("Basic " + Base64.getEncoder().encodeToString("assay:token-pass".getBytes()))));
    }

    /**
     * Unchanged tags are skipped after a HEAD; what failed is tried again: the quarantined manifests,
     * and the index whose referrers could not be fetched (its cursor did not move past them).
     */
    @Test
    void aSecondCollectionSkipsWhatIsUnchangedAndRetriesWhatFailed() {
        CollectionRuns.collectAndWait(launcher, executions, "wiremock-registry");
        registry.resetScenarios();

        JobStatus again = CollectionRuns.collectAndWait(launcher, executions, "wiremock-registry");

        assertThat(again.status()).isEqualTo("COMPLETED");
        assertThat(again.read()).isEqualTo(4);
        assertThat(again.written()).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from artifact", Integer.class)).isEqualTo(2);
        assertThat(jdbc.queryForObject("select count(*) from signature", Integer.class)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select sum(times_seen) from quarantine where source_id = 'wiremock-registry'", Integer.class))
                .isEqualTo(10);
    }

    /**
     * {@code faulty-registry}: acme/reset (its manifest's connection is reset once), acme/slow (its
     * tags list answers after the 2 s timeout once), acme/garbled (tag good; html: a 200 HTML page
     * as the manifest; schema1: a Docker schema 1 manifest; cut: a manifest cut short) and
     * acme/listcut (its tags list cut short).
     */
    @Test
    void retriesResetsAndTimeoutsAndQuarantinesEachMalformedOrTruncatedAnswerAlone() {
        stubFaultyRegistry();

        JobStatus run = CollectionRuns.collectAndWait(launcher, executions, "faulty-registry");

        assertThat(run.status()).as(run.exitMessage()).isEqualTo("COMPLETED");
        assertThat(run.read()).isEqualTo(6);
        assertThat(run.written()).isEqualTo(3);
        assertThat(run.quarantined()).isEqualTo(4);
        String host = "127.0.0.1:" + registry.port();
        assertThat(jdbc.queryForList("select repository || ':' || tag from artifact_tag order by 1", String.class))
                .containsExactly(host + "/acme/garbled:good", host + "/acme/reset:1.0", host + "/acme/slow:1.0");
        assertThat(jdbc.queryForObject("select count(*) from artifact where source_id = 'faulty-registry'", Integer.class))
                .isEqualTo(3);
        assertThat(jdbc.queryForList("select kind || ' ' || location || ' ' || reason from quarantine"
                + " where source_id = 'faulty-registry' order by kind, location", String.class)).satisfiesExactly(
                cut -> assertThat(cut).isEqualTo("oci-manifest " + host + "/acme/garbled:cut digest mismatch: /v2/acme/garbled/manifests/"
                        + OciPusher.digest(manifestOf("garbled:cut")) + " answered content whose sha256 is "
                        + OciPusher.digest(cutShort(manifestOf("garbled:cut"))) + ", not " + OciPusher.digest(manifestOf("garbled:cut"))
                        + "; not stored"),
                html -> assertThat(html).startsWith("oci-manifest " + host + "/acme/garbled:html not valid JSON: Unexpected character ('<'"),
                schema1 -> assertThat(schema1).isEqualTo("oci-manifest " + host + "/acme/garbled:schema1 only schemaVersion 2 manifests"
                        + " are read (Docker schema 1 is deprecated and unsigned)"),
                list -> assertThat(list).startsWith("oci-repository " + host + "/acme/listcut cannot list the tags of acme/listcut:"
                        + " not valid JSON: Unexpected end-of-input"));
        // the reset and the timeout each waited the first backoff step, and were asked again once (with the token)
        assertThat(RecordingSleeper.WAITS).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1));
        registry.verify(2, getRequestedFor(urlEqualTo("/v2/acme/reset/manifests/" + OciPusher.digest(manifestOf("reset:1.0")))));
        registry.verify(2, getRequestedFor(urlEqualTo("/v2/acme/slow/tags/list?n=100"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN)));
    }

    @Test
    void aCollectionAfterTheRegistryRecoversStoresWhatFailedAndNothingTwice() {
        stubFaultyRegistry();
        CollectionRuns.collectAndWait(launcher, executions, "faulty-registry");
        java.util.List<Map<String, Object>> stored = jdbc.queryForList("select id, digest, last_seen_at from artifact order by id");
        // the registry recovers: html and schema1 are pushed again as OCI manifests, cut and listcut answer whole
        manifest("acme/garbled", "html", OciPusher.digest(manifestOf("garbled:html")), OCI_MANIFEST, manifestOf("garbled:html"));
        manifest("acme/garbled", OciPusher.digest(manifestOf("garbled:html")), OciPusher.digest(manifestOf("garbled:html")),
                OCI_MANIFEST, manifestOf("garbled:html"));
        manifest("acme/garbled", "schema1", OciPusher.digest(manifestOf("garbled:schema1")), OCI_MANIFEST,
                manifestOf("garbled:schema1"));
        manifest("acme/garbled", OciPusher.digest(manifestOf("garbled:schema1")), OciPusher.digest(manifestOf("garbled:schema1")),
                OCI_MANIFEST, manifestOf("garbled:schema1"));
        manifest("acme/garbled", OciPusher.digest(manifestOf("garbled:cut")), OciPusher.digest(manifestOf("garbled:cut")),
                OCI_MANIFEST, manifestOf("garbled:cut"));
        registry.stubFor(authorised(get(urlEqualTo("/v2/acme/listcut/tags/list?n=100")))
                .willReturn(aResponse().withBody("{\"name\":\"acme/listcut\",\"tags\":[\"1.0\"]}")));
        manifest("acme/listcut", "1.0", OciPusher.digest(manifestOf("listcut:1.0")), OCI_MANIFEST, manifestOf("listcut:1.0"));
        manifest("acme/listcut", OciPusher.digest(manifestOf("listcut:1.0")), OciPusher.digest(manifestOf("listcut:1.0")), OCI_MANIFEST,
                manifestOf("listcut:1.0"));
        registry.resetRequests();

        JobStatus again = CollectionRuns.collectAndWait(launcher, executions, "faulty-registry");

        assertThat(again.status()).as(again.exitMessage()).isEqualTo("COMPLETED");
        assertThat(again.read()).isEqualTo(7);
        assertThat(again.written()).isEqualTo(4);
        assertThat(again.quarantined()).isZero();
        assertThat(jdbc.queryForObject("select count(*) from artifact_tag", Integer.class)).isEqualTo(7);
        assertThat(jdbc.queryForObject("select count(*) from artifact where source_id = 'faulty-registry'", Integer.class))
                .isEqualTo(7);
        // the three stored the first time were skipped after a HEAD: not fetched, not rewritten
        assertThat(jdbc.queryForList("select id, digest, last_seen_at from artifact order by id").subList(0, 3)).isEqualTo(stored);
        registry.verify(0, getRequestedFor(urlEqualTo("/v2/acme/reset/manifests/" + OciPusher.digest(manifestOf("reset:1.0")))));
        registry.verify(0, getRequestedFor(urlEqualTo("/v2/acme/garbled/manifests/" + OciPusher.digest(manifestOf("garbled:good")))));
    }

    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

    /** The image-spec example manifest, made one of its own by an annotation naming {@code repository:tag}. */
    static byte[] manifestOf(String name) {
        return Fixtures.text("registry/oci-image-manifest.image-spec-example.json").replace("\"value1\"", "\"" + name + "\"")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** A transfer cut short: the first 200 bytes. */
    static byte[] cutShort(byte[] content) {
        return java.util.Arrays.copyOf(content, 200);
    }

    static void stubFaultyRegistry() {
        // acme/reset: the manifest's connection is reset once
        byte[] reset = manifestOf("reset:1.0");
        registry.stubFor(authorised(get(urlEqualTo("/v2/acme/reset/tags/list?n=100")))
                .willReturn(aResponse().withBody("{\"name\":\"acme/reset\",\"tags\":[\"1.0\"]}")));
        manifest("acme/reset", "1.0", OciPusher.digest(reset), OCI_MANIFEST, reset);
        registry.stubFor(authorised(get(urlEqualTo("/v2/acme/reset/manifests/" + OciPusher.digest(reset)))).inScenario("reset")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("recovered")
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        registry.stubFor(authorised(get(urlEqualTo("/v2/acme/reset/manifests/" + OciPusher.digest(reset)))).inScenario("reset")
                .whenScenarioStateIs("recovered").willReturn(aResponse().withHeader("Docker-Content-Digest", OciPusher.digest(reset))
                        .withHeader("Content-Type", OCI_MANIFEST).withBody(reset)));
        // acme/slow: the tags list answers after the timeout once
        String slowTags = "{\"name\":\"acme/slow\",\"tags\":[\"1.0\"]}";
        registry.stubFor(authorised(get(urlEqualTo("/v2/acme/slow/tags/list?n=100"))).inScenario("slow")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("recovered")
                .willReturn(aResponse().withBody(slowTags).withFixedDelay(4_000)));
        registry.stubFor(authorised(get(urlEqualTo("/v2/acme/slow/tags/list?n=100"))).inScenario("slow")
                .whenScenarioStateIs("recovered").willReturn(aResponse().withBody(slowTags)));
        byte[] slow = manifestOf("slow:1.0");
        manifest("acme/slow", "1.0", OciPusher.digest(slow), OCI_MANIFEST, slow);
        manifest("acme/slow", OciPusher.digest(slow), OciPusher.digest(slow), OCI_MANIFEST, slow);
        // acme/garbled: one good tag, an HTML page and a Docker schema 1 manifest answered 200, a manifest cut short
        registry.stubFor(authorised(get(urlEqualTo("/v2/acme/garbled/tags/list?n=100"))).willReturn(aResponse()
                .withBody("{\"name\":\"acme/garbled\",\"tags\":[\"good\",\"html\",\"schema1\",\"cut\"]}")));
        byte[] good = manifestOf("garbled:good");
        manifest("acme/garbled", "good", OciPusher.digest(good), OCI_MANIFEST, good);
        manifest("acme/garbled", OciPusher.digest(good), OciPusher.digest(good), OCI_MANIFEST, good);
        byte[] html = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>".getBytes(StandardCharsets.UTF_8);
        manifest("acme/garbled", "html", OciPusher.digest(html), "text/html", html);
        manifest("acme/garbled", OciPusher.digest(html), OciPusher.digest(html), "text/html", html);
        byte[] schema1 = """
                {"schemaVersion": 1, "name": "acme/garbled", "tag": "schema1", "architecture": "amd64",
                 "fsLayers": [{"blobSum": "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef"}],
                 "history": [{"v1Compatibility": "{\\"id\\":\\"e45a5af57b00862e5ef5782a9925979a02ba2b12dff832fd0991335f4a11e5c5\\"}"}]}"""
                .getBytes(StandardCharsets.UTF_8);
        manifest("acme/garbled", "schema1", OciPusher.digest(schema1), "application/vnd.docker.distribution.manifest.v1+json", schema1);
        manifest("acme/garbled", OciPusher.digest(schema1), OciPusher.digest(schema1),
                "application/vnd.docker.distribution.manifest.v1+json", schema1);
        byte[] whole = manifestOf("garbled:cut");
        manifest("acme/garbled", "cut", OciPusher.digest(whole), OCI_MANIFEST, whole);
        manifest("acme/garbled", OciPusher.digest(whole), OciPusher.digest(whole), OCI_MANIFEST, cutShort(whole));
        // acme/listcut: the tags list is cut short
        registry.stubFor(authorised(get(urlEqualTo("/v2/acme/listcut/tags/list?n=100")))
                .willReturn(aResponse().withBody("{\"name\":\"acme/listcut\",\"tags\":[\"1.0\",\"1.")));
    }
}

package dev.assay.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import dev.assay.DatabaseCleaner;
import dev.assay.collect.CollectionLauncher;
import dev.assay.collect.CollectionRuns;
import dev.assay.collect.JobExecutions;

/**
 * {@code POST /api/v1/ingest/{sbom|scan|provenance|signature}} with the published samples: what is
 * stored, what is refused and why, and that a refused document loses nothing else.
 */
@ArtifactsIntegrationTest
@RecordApplicationEvents
@WithMockUser(username = "ci-bot", roles = "ADMIN")
class EvidenceIngestApiTests {

    static final String PAYMENTS = "registry.example.com/acme/payments-api";
    static final String DIGEST_A = "sha256:" + "a".repeat(64);

    @Autowired MockMvc mvc;
    @Autowired DataSource dataSource;
    @Autowired CollectionLauncher launcher;
    @Autowired JobExecutions executions;
    @Autowired ApplicationEvents events;
    @Autowired ScanReports scans;

    JdbcTemplate jdbc;

    @BeforeEach
    void catalogWithImageRepositories() {
        new DatabaseCleaner(dataSource).cleanAllExcept("app_user", "user_role");
        jdbc = new JdbcTemplate(dataSource);
        assertThat(CollectionRuns.collectAndWait(launcher, executions, "artifacts-catalog").status()).isEqualTo("COMPLETED");
    }

    ResultActions push(String kind, String query, String contentType, byte[] body) throws Exception {
        return mvc.perform(post("/api/v1/ingest/" + kind + query).with(csrf()).contentType(contentType).content(body));
    }

    ResultActions push(String kind, String query, String fixture) throws Exception {
        return push(kind, query, MediaType.APPLICATION_JSON_VALUE, Fixtures.bytes(fixture));
    }

    int count(String table) {
        return jdbc.queryForObject("select count(*) from " + table, Integer.class);
    }

    @Test
    void aCycloneDxSbomIsStoredOnceWithItsComponents() throws Exception {
        push("sbom", "?artifact=" + PAYMENTS + "@" + DIGEST_A, "sbom/cyclonedx-1.6-spec-valid-bom.cdx.json")
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.kind").value("sbom"))
                .andExpect(jsonPath("$.id").value(org.hamcrest.Matchers.startsWith("sbom:")));
        push("sbom", "?artifact=" + PAYMENTS + "@" + DIGEST_A, "sbom/cyclonedx-1.6-spec-valid-bom.cdx.json")
                .andExpect(status().isAccepted());

        assertThat(count("sbom")).isEqualTo(1);
        assertThat(count("sbom_component")).isEqualTo(3);
        assertThat(count("artifact")).isEqualTo(1);
        assertThat(jdbc.queryForMap("select format, spec_version, tool, component_count, dependency_count,"
                + " license_violation_count, origin, source_id from sbom")).containsAllEntriesOf(Map.of(
                        "format", "cyclonedx-json", "spec_version", "1.6", "tool", "Awesome Tool 9.1.2", "component_count", 3,
                        "dependency_count", 1, "license_violation_count", 0, "origin", "ingest", "source_id", "ingest:sbom"));
        assertThat(jdbc.queryForList("select repository from artifact_repository", String.class)).containsExactly(PAYMENTS);
        // the push is in the audit log, under the name of who pushed it; the repeated push changed nothing
        assertThat(jdbc.queryForList("select action || ' ' || entity_id from audit_log where actor = 'ci-bot'", String.class))
                .containsExactly("artifact.evidence-ingested " + DIGEST_A);
    }

    @Test
    void spdxAndCycloneDxXmlAreReadAndTheLicensePolicyIsApplied() throws Exception {
        push("sbom", "?artifact=" + PAYMENTS + "@" + DIGEST_A, "sbom/spdx-2.3-spec-example.spdx.json").andExpect(status().isAccepted());
        push("sbom", "?artifact=" + PAYMENTS + "@" + DIGEST_A + "&format=cyclonedx-xml", "application/xml",
                Fixtures.bytes("sbom/cyclonedx-1.6-spec-valid-dependency.cdx.xml")).andExpect(status().isAccepted());

        assertThat(jdbc.queryForList("select format || ' ' || component_count || ' ' || dependency_count || ' '"
                + " || license_violation_count from sbom order by id", String.class))
                .containsExactly("spdx-json 4 1 1", "cyclonedx-xml 3 1 0");
        // MPL-1.0 is on this test's deny list: Saxon breaks it; (LGPL-2.0-only OR LicenseRef-3) does not
        assertThat(jdbc.queryForMap("select c.name, v.license, v.rule, v.offending from sbom_license_violation v"
                + " join sbom_component c on c.sbom_id = v.sbom_id and c.ordinal = v.ordinal"))
                .containsAllEntriesOf(Map.of("name", "Saxon", "license", "MPL-1.0", "rule", "deny", "offending", "MPL-1.0"));
    }

    @Test
    void aTrivyReportIsStoredWithEveryResultAndAnnouncedToTheFindingsFeature() throws Exception {
        String id = push("scan", "?artifact=" + PAYMENTS + "@" + DIGEST_A, "scanners/trivy-image-debian-buster.json")
                .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString();

        assertThat(jdbc.queryForMap("select scanner, scanner_version, format, critical_count, high_count, medium_count,"
                + " low_count, result_count from scan_report")).containsAllEntriesOf(Map.of("scanner", "trivy",
                        "scanner_version", "dev", "format", "trivy", "critical_count", 1, "high_count", 0, "medium_count", 0,
                        "low_count", 1, "result_count", 2));
        List<ScanIngested> announced = events.stream(ScanIngested.class).toList();
        assertThat(announced).singleElement().satisfies(event -> {
            assertThat(event.artifactDigest()).isEqualTo(DIGEST_A);
            assertThat(event.serviceNames()).containsExactly("payments-api");
            assertThat(id).contains("scan:" + event.scanId());
            assertThat(scans.findings(event.scanId())).extracting(ScanFinding::resultId, ScanFinding::severity,
                    ScanFinding::fixedVersion, ScanFinding::cvssScore)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("CVE-2019-18276", "low", null, 7.8),
                            org.assertj.core.groups.Tuple.tuple("CVE-2019-18224", "critical", "2.0.5-1+deb10u1", 9.8));
        });
        // the same report again: nothing new, nothing announced
        push("scan", "?artifact=" + PAYMENTS + "@" + DIGEST_A, "scanners/trivy-image-debian-buster.json").andExpect(status().isAccepted());
        assertThat(count("scan_report")).isEqualTo(1);
        assertThat(events.stream(ScanIngested.class)).hasSize(1);
    }

    @Test
    void everyScannerFormatIsDetected() throws Exception {
        for (String fixture : List.of("scanners/grype-image-report.json", "scanners/trivy-image-alpine-310.sarif",
                "scanners/codeql-lgtm-two-runs.sarif", "scanners/sarif-tutorials-suppressions.sarif",
                "scanners/osv-GO-2023-2102-http2-rapid-reset.json", "scanners/osv-GHSA-3cqf-953p-h5cp-argo-cd.json",
                "scanners/trivy-image-spring4shell-jre11-os-and-jar.json")) {
            push("scan", "?artifact=" + PAYMENTS + "@" + DIGEST_A, fixture).andExpect(status().isAccepted());
        }
        assertThat(jdbc.queryForList("select format || ' ' || result_count || ' ' || suppressed_count from scan_report order by id",
                String.class)).containsExactly("grype 2 0", "sarif 4 0", "sarif 3 0", "sarif 9 5", "osv 2 0", "osv 3 0", "trivy 1 0");
        assertThat(count("scan_result")).isEqualTo(24);
    }

    @Test
    void provenanceKeepsTheBuildFactsAndSaysItsSignatureIsNotVerifiedWithoutAKey() throws Exception {
        String subject = "sha256:caaadba2846905ac477c777e96a636e1c2e067fdf6fed90ec9eeca4df18d6ed9";
        push("provenance", "?artifact=" + PAYMENTS + "@" + subject, "provenance/dsse-envelope-slsa-provenance-v1-bazel-builder.json")
                .andExpect(status().isAccepted());

        assertThat(jdbc.queryForMap("select envelope_format, predicate_type, signature_count, verified, status from attestation"))
                .containsAllEntriesOf(Map.of("envelope_format", "dsse", "predicate_type", "https://slsa.dev/provenance/v1",
                        "signature_count", 1, "verified", false, "status", "no-trusted-key"));
        assertThat(jdbc.queryForMap("select slsa_version, source_repository, source_commit, run_url from provenance"))
                .containsAllEntriesOf(Map.of("slsa_version", "1",
                        "source_repository", "https://github.com/enteraga6/slsa-lvl3-generic-provenance-with-bazel-example",
                        "source_commit", "7f23ac4783cb702a68c55f7955cc296fdd425dbb",
                        "run_url", "https://github.com/enteraga6/slsa-lvl3-generic-provenance-with-bazel-example/actions/runs/5792108748/attempts/1"));

        // a statement about another digest is refused
        push("provenance", "?artifact=" + PAYMENTS + "@" + DIGEST_A, "provenance/dsse-envelope-slsa-provenance-v1-bazel-builder.json")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("the statement's subjects (" + subject
                        + ") do not include the artifact " + DIGEST_A));
        // a keyless Sigstore bundle: its certificate chains to the trusted root, but nobody expects its signer
        push("provenance", "?artifact=" + PAYMENTS + "@sha256:06ce330900a7d6403bc8d88e5dfad6aeeb8ae40179f66bb89e69c8bf6f6b1a0b",
                "provenance/sigstore-bundle-v0.3-dsse-statement-v1-slsa-v1-bcr.json").andExpect(status().isAccepted());
        assertThat(jdbc.queryForMap("select status, identity from attestation where envelope_format = 'sigstore-bundle'"))
                .containsEntry("status", "untrusted-identity")
                .containsEntry("identity", "uri:https://github.com/bazel-contrib/publish-to-bcr/.github/workflows/publish.yaml@refs/tags/v0.0.1"
                        + " (issuer https://token.actions.githubusercontent.com)");
    }

    @Test
    void aKeylessSignatureIsVerifiedOnceItsSignerIsTrusted(@Autowired dev.assay.artifacts.internal.TrustedKeys keys) throws Exception {
        String signed = "sha256:0489474da8ea22426ece86ace6c1c0026ab2fd3cdfbbd62b7e94650266c37d9a";
        push("signature", "?artifact=" + PAYMENTS + "@" + signed, "application/octet-stream",
                Fixtures.bytes("interop/cosign-keyless-legacy-simplesigning/signature-1")).andExpect(status().isAccepted());
        assertThat(jdbc.queryForMap("select verified, status, reason from signature")).containsAllEntriesOf(Map.of(
                "verified", false, "status", "untrusted-identity", "reason", "untrusted identity: the certificate names"
                        + " email:mitr@redhat.com (issuer https://github.com/login/oauth), and no Sigstore identity is expected for"
                        + " this artifact's services, their teams or the organisation"));

        // a signer trusted for another team does not count for payments
        keys.addIdentity("https://github.com/login/oauth", "mitr@redhat.com", false, "team", "ledger", "admin");
        assertThat(jdbc.queryForObject("select status from signature", String.class)).isEqualTo("untrusted-identity");
        // trusted for payments' team: the stored signature is verified again, from its kept Rekor entry
        keys.addIdentity("https://github.com/login/oauth", ".+@redhat\\.com", true, "team", "payments", "admin");
        assertThat(jdbc.queryForMap("select verified, status, reason from signature")).containsAllEntriesOf(Map.of(
                "verified", true, "status", "verified", "reason", "verified keyless cosign signature by email:mitr@redhat.com"
                        + " (issuer https://github.com/login/oauth), an identity expected for team:payments; certificate chains to"
                        + " the trusted root, logged in https://rekor.sigstore.dev at 2023-01-20T20:51:33Z (log index 11605770)"));
        assertThat(jdbc.queryForObject("select count(*) from audit_log where action = 'trusted-identity.added'", Integer.class))
                .isEqualTo(2);
        assertThat(keys.listIdentities()).extracting(i -> i.scopeType() + ":" + i.scopeName() + " " + i.matchKind() + " " + i.subjectMatch())
                .containsExactly("team:ledger exact mitr@redhat.com", "team:payments regex .+@redhat\\.com");

        // removing it un-verifies the signature again
        keys.removeIdentity(keys.listIdentities().get(1).id(), "admin");
        assertThat(jdbc.queryForObject("select status from signature", String.class)).isEqualTo("untrusted-identity");
    }

    @Test
    void aCosignSignatureIsVerifiedByAssayOnceAKeyIsTrusted(@Autowired dev.assay.artifacts.internal.TrustedKeys keys) throws Exception {
        String signed = "sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00";
        push("signature", "?artifact=" + PAYMENTS + "@" + signed, "application/octet-stream",
                Fixtures.bytes("interop/cosign-key-simplesigning/signature-1")).andExpect(status().isAccepted());
        assertThat(jdbc.queryForMap("select verified, status from signature")).containsEntry("status", "no-trusted-key");

        keys.add("payments release key", "team", "payments", Fixtures.text("interop/cosign-key-simplesigning/cosign.pub"), "admin");
        // the stored signature was verified again with the new key
        assertThat(jdbc.queryForMap("select verified, status from signature")).containsEntry("status", "verified");
        push("signature", "?artifact=" + PAYMENTS + "@" + signed, "application/octet-stream",
                Fixtures.bytes("interop/cosign-key-simplesigning/signature-1")).andExpect(status().isAccepted());
        assertThat(count("signature")).isEqualTo(1);
        assertThat(jdbc.queryForMap("select verified, status, key_name from signature")).containsAllEntriesOf(Map.of(
                "verified", true, "status", "verified", "key_name", "payments release key"));

        // the same signature presented for another artifact of the team: valid, but not for this digest
        push("signature", "?artifact=registry.example.com/acme/checkout-web@" + DIGEST_A, "application/octet-stream",
                Fixtures.bytes("interop/cosign-key-simplesigning/signature-1")).andExpect(status().isAccepted());
        assertThat(jdbc.queryForMap("select s.status, s.verified from signature s join artifact a on a.id = s.artifact_id"
                + " where a.digest = ?", DIGEST_A)).containsAllEntriesOf(Map.of("status", "digest-mismatch", "verified", false));
        // a key of another team is not trusted for payments' artifacts
        push("signature", "?artifact=" + PAYMENTS + "@" + signed, "application/octet-stream",
                Fixtures.bytes("interop/cosign-key-simplesigning/unknown-cosign-key.signature")).andExpect(status().isAccepted());
        assertThat(jdbc.queryForList("select status from signature order by id", String.class))
                .containsExactly("verified", "digest-mismatch", "bad-signature");
    }

    @Test
    void badInputIsRefusedWithAClearReasonAndQuarantined() throws Exception {
        push("scan", "?artifact=" + PAYMENTS + "@" + DIGEST_A, "scanners/grype-image-report.json").andExpect(status().isAccepted());

        push("scan", "?artifact=" + PAYMENTS + "@" + DIGEST_A, MediaType.APPLICATION_JSON_VALUE,
                "{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{},\"results\":[]}]}".getBytes())
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.detail").value("SARIF run 1 has no tool.driver.name"));
        push("scan", "?artifact=" + PAYMENTS + "@" + DIGEST_A, MediaType.APPLICATION_JSON_VALUE,
                ("[".repeat(10_000) + "]".repeat(10_000)).getBytes())
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("nesting depth")));
        push("scan", "?artifact=" + PAYMENTS + "@" + DIGEST_A, "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G'})
                .andExpect(status().isUnsupportedMediaType());
        push("scan", "?artifact=" + PAYMENTS + "@" + DIGEST_A, MediaType.APPLICATION_JSON_VALUE, new byte[1_048_577])
                .andExpect(status().isPayloadTooLarge());
        push("scan", "?artifact=payments-api:latest", "scanners/grype-image-report.json").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("artifact 'payments-api:latest' must be <repository>@sha256:<hex>, e.g."
                        + " registry.example.com/acme/payments-api@sha256:" + "0".repeat(64)));
        push("scan", "?artifact=" + PAYMENTS + "@" + DIGEST_A + "&format=nessus", "scanners/grype-image-report.json")
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.detail").value(
                        "unknown format 'nessus'; formats: cyclonedx-json, cyclonedx-xml, spdx-json, trivy, grype, sarif, osv,"
                                + " in-toto, dsse, sigstore-bundle, cosign"));
        push("scan", "?artifact=" + PAYMENTS + "@" + DIGEST_A, "sbom/cyclonedx-1.6-spec-valid-bom.cdx.json")
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.detail").value("a cyclonedx-json document is not a scan document"));
        push("scan", "", "scanners/trivy-image-debian-buster.json").andExpect(status().isBadRequest()).andExpect(jsonPath("$.detail")
                .value("the document does not say which artifact it describes: add ?artifact=<repository>@sha256:<hex>"));

        // nothing else was lost, and every refused document waits in quarantine with its reason
        assertThat(count("scan_report")).isEqualTo(1);
        assertThat(jdbc.queryForList("select reason from quarantine where source_id = 'ingest:scan' order by id", String.class))
                .hasSize(6).first().isEqualTo("SARIF run 1 has no tool.driver.name");
    }

    @Test
    @WithMockUser(username = "boss", roles = "EXECUTIVE")
    void anExecutiveCannotPushEvidence() throws Exception {
        push("sbom", "?artifact=" + PAYMENTS + "@" + DIGEST_A, "sbom/cyclonedx-1.6-spec-valid-bom.cdx.json")
                .andExpect(status().isForbidden());
        assertThat(count("sbom")).isZero();
    }
}

package dev.assay.findings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import dev.assay.DatabaseCleaner;
import dev.assay.artifacts.ArtifactsIntegrationTest;
import dev.assay.artifacts.Fixtures;
import dev.assay.collect.CollectionLauncher;
import dev.assay.collect.CollectionRuns;
import dev.assay.collect.JobExecutions;
import dev.assay.findings.internal.PolicyEvaluation;

/**
 * Evidence the artifacts feature stores becomes findings: every scan report through the
 * {@code ScanIngested} event, and the evidence policies (unsigned, unverified, missing SBOM, stale
 * scan, disallowed licence, no owner) through {@link PolicyEvaluation}.
 * <p>
 * Catalog (src/test/resources/sources/artifacts-catalog.yml): payments-api (team payments, with an
 * escalation contact) holds registry.example.com/acme/payments-api; checkout-web and ledger-service
 * have owners but no escalation contact.
 */
@ArtifactsIntegrationTest
@WithMockUser(username = "ci-bot", roles = "ADMIN")
class EvidenceFindingsTests {

    static final String PAYMENTS = "registry.example.com/acme/payments-api";
    static final String DIGEST_A = "sha256:" + "a".repeat(64);
    static final String ARTIFACT_A = PAYMENTS + "@" + DIGEST_A;

    @Autowired MockMvc mvc;
    @Autowired DataSource dataSource;
    @Autowired CollectionLauncher launcher;
    @Autowired JobExecutions executions;
    @Autowired PolicyEvaluation policies;

    JdbcTemplate jdbc;

    @BeforeEach
    void catalog() {
        new DatabaseCleaner(dataSource).cleanAllExcept("app_user", "user_role");
        jdbc = new JdbcTemplate(dataSource);
        assertThat(CollectionRuns.collectAndWait(launcher, executions, "artifacts-catalog").status()).isEqualTo("COMPLETED");
    }

    void push(String kind, String fixtureText) throws Exception {
        mvc.perform(post("/api/v1/ingest/" + kind + "?artifact=" + ARTIFACT_A).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content(fixtureText.getBytes(StandardCharsets.UTF_8)))
                .andExpect(status().isAccepted());
    }

    static String trivy() {
        return new String(Fixtures.bytes("scanners/trivy-image-debian-buster.json"), StandardCharsets.UTF_8);
    }

    @Test
    void aTrivyScanMakesOneFindingPerResultAndANewerScanWithoutOneFixesIt() throws Exception {
        push("scan", trivy());

        assertThat(jdbc.queryForList("select service_name || ' ' || source || ' ' || rule_id || ' ' || subject || ' '"
                + " || installed_version || ' ' || severity || ' ' || coalesce(fixed_version, '-') || ' ' || status from finding"
                + " order by rule_id", String.class)).containsExactly(
                        "payments-api vulnerability CVE-2019-18224 libidn2-0 2.0.5-1 critical 2.0.5-1+deb10u1 open",
                        "payments-api vulnerability CVE-2019-18276 bash 5.0-4 low - open");
        assertThat(jdbc.queryForList("select cast(first_seen_at as varchar) from finding", String.class))
                .allSatisfy(t -> assertThat(t).startsWith("2021-08-25 12:20:30"));
        assertThat(jdbc.queryForList("select distinct artifact_digest || ' ' || scanner from finding_report", String.class))
                .containsExactly(ARTIFACT_A + " trivy");

        // the same image scanned a day later: bash is no longer reported
        push("scan", trivyWithout("CVE-2019-18276", "2021-08-26T12:20:30Z"));

        assertThat(jdbc.queryForList("select rule_id || ' ' || subject || ' ' || status from finding order by rule_id, subject",
                String.class)).containsExactly("CVE-2019-18224 libidn2-0 open", "CVE-2019-18276 bash fixed");
        assertThat(jdbc.queryForObject("select cast(fixed_at as varchar) from finding where rule_id = 'CVE-2019-18276'",
                String.class)).startsWith("2021-08-26 12:20:30");
    }

    @Test
    void theEvidencePoliciesRaiseFindingsAndFixThemWhenTheEvidenceArrives() throws Exception {
        push("scan", trivy());

        PolicyEvaluation.Outcome first = policies.evaluate();

        assertThat(policyFindings()).containsExactly(
                "checkout-web no-owner checkout-web medium open",
                "ledger-service no-owner ledger-service medium open",
                "payments-api missing-sbom " + DIGEST_A + " medium open",
                "payments-api stale-scan " + DIGEST_A + " medium open",
                "payments-api unsigned-artifact " + DIGEST_A + " high open");
        assertThat(first).isEqualTo(new PolicyEvaluation.Outcome(5, 5, 0, 0));

        // evaluated again with nothing new: nothing changes
        assertThat(policies.evaluate()).isEqualTo(new PolicyEvaluation.Outcome(5, 0, 0, 0));

        // an SBOM arrives (the SPDX spec example, whose MPL-1.0 component this test's licence policy denies)
        push("sbom", new String(Fixtures.bytes("sbom/spdx-2.3-spec-example.spdx.json"), StandardCharsets.UTF_8));
        PolicyEvaluation.Outcome second = policies.evaluate();

        assertThat(policyFindings()).containsExactly(
                "checkout-web no-owner checkout-web medium open",
                "ledger-service no-owner ledger-service medium open",
                "payments-api disallowed-license " + DIGEST_A + " Saxon@8.8 MPL-1.0 high open",
                "payments-api missing-sbom " + DIGEST_A + " medium fixed",
                "payments-api stale-scan " + DIGEST_A + " medium open",
                "payments-api unsigned-artifact " + DIGEST_A + " high open");
        assertThat(second).isEqualTo(new PolicyEvaluation.Outcome(5, 1, 0, 1));
    }

    /** The Trivy sample as the scanner would report it at {@code createdAt} once a result is gone. */
    static String trivyWithout(String vulnerabilityId, String createdAt) {
        JsonMapper json = JsonMapper.builder().build();
        ObjectNode report = (ObjectNode) json.readTree(trivy());
        report.put("CreatedAt", createdAt);
        int removed = 0;
        for (JsonNode result : report.get("Results")) {
            JsonNode vulnerabilities = result.get("Vulnerabilities");
            for (int i = vulnerabilities == null ? -1 : vulnerabilities.size() - 1; i >= 0; i--) {
                if (vulnerabilityId.equals(vulnerabilities.get(i).get("VulnerabilityID").asString())) {
                    ((ArrayNode) vulnerabilities).remove(i);
                    removed++;
                }
            }
        }
        assertThat(removed).as(vulnerabilityId + " in the sample").isEqualTo(1);
        return json.writeValueAsString(report);
    }

    List<String> policyFindings() {
        return jdbc.queryForList("select service_name || ' ' || rule_id || ' ' || subject || ' ' || severity || ' ' || status"
                + " from finding where source = 'policy' order by service_name, rule_id", String.class);
    }
}

package dev.assay.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;

import dev.assay.DatabaseCleaner;
import dev.assay.catalog.Ratio;
import dev.assay.collect.CollectionLauncher;
import dev.assay.collect.CollectionRuns;
import dev.assay.collect.JobExecutions;

/** The artifact page, the service's artifacts page, the artifacts API and the trusted-keys admin page. */
@ArtifactsIntegrationTest
class ArtifactPagesTests {

    static final String PAYMENTS = "registry.example.com/acme/payments-api";
    static final String SIGNED = "sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00";
    static final String OTHER = "sha256:" + "c".repeat(64);

    @Autowired MockMvc mvc;
    @Autowired DataSource dataSource;
    @Autowired CollectionLauncher launcher;
    @Autowired JobExecutions executions;
    @Autowired ArtifactFigures figures;
    JdbcTemplate jdbc;

    @BeforeEach
    void evidence() throws Exception {
        new DatabaseCleaner(dataSource).cleanAllExcept("app_user", "user_role");
        jdbc = new JdbcTemplate(dataSource);
        CollectionRuns.collectAndWait(launcher, executions, "artifacts-catalog");
        ingest("signature", PAYMENTS + "@" + SIGNED, "interop/cosign-key-simplesigning/signature-1");
        ingest("sbom", PAYMENTS + "@" + SIGNED, "sbom/cyclonedx-1.6-trivy-fluentd-image-with-vulns.cdx.json");
        ingest("scan", PAYMENTS + "@" + SIGNED, "scanners/grype-image-report.json");
        ingest("sbom", PAYMENTS + "@" + OTHER, "sbom/spdx-2.3-spec-example.spdx.json");
        // a scan whose collected text is markup: it must be shown as text
        mvc.perform(post("/api/v1/ingest/scan").param("artifact", PAYMENTS + "@" + OTHER).with(csrf())
                .with(org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user("ci").roles("ADMIN"))
                .contentType(MediaType.APPLICATION_JSON).content("{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"evil\"}},"
                        + "\"results\":[{\"ruleId\":\"R1\",\"message\":{\"text\":\"<script>alert(1)</script>\"}}]}]}"))
                .andExpect(status().isAccepted());
    }

    void ingest(String kind, String artifact, String fixture) throws Exception {
        mvc.perform(post("/api/v1/ingest/" + kind).param("artifact", artifact).with(csrf())
                .with(org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user("ci").roles("ADMIN"))
                .contentType(MediaType.APPLICATION_JSON).content(Fixtures.bytes(fixture))).andExpect(status().isAccepted());
    }

    @Test
    @WithMockUser(username = "owner", roles = "SERVICE_OWNER")
    void theArtifactPageShowsEachSignatureWithItsVerificationAndSearchesComponents() throws Exception {
        mvc.perform(get("/artifacts/" + SIGNED))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString(SIGNED)))
                .andExpect(content().string(containsString("no-trusted-key")))
                .andExpect(content().string(containsString("no trusted key is configured for this artifact")))
                .andExpect(content().string(containsString("CVE-1999-0002")))
                .andExpect(content().string(containsString("activesupport")))
                .andExpect(content().string(containsString("libidn2-0")));
        mvc.perform(get("/artifacts/" + SIGNED).param("q", "ACTIVE"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("activesupport")))
                .andExpect(content().string(not(containsString("libidn2-0"))));
        mvc.perform(get("/artifacts/" + OTHER))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("&lt;script&gt;alert(1)&lt;/script&gt;")))
                .andExpect(content().string(not(containsString("<script>alert(1)</script>"))))
                .andExpect(content().string(containsString("Saxon")));
        mvc.perform(get("/artifacts/sha256:" + "d".repeat(64))).andExpect(status().isNotFound());
        mvc.perform(get("/artifacts/latest")).andExpect(status().isNotFound());
    }

    @Test
    @WithMockUser(username = "boss", roles = "EXECUTIVE")
    void theServicePageShowsCoverageAndWhatFailsEachCheck() throws Exception {
        assertThat(figures.coverage(Duration.ofDays(30), null, "payments-api")).satisfies(c -> {
            assertThat(c.signed()).isEqualTo(new Ratio(0, 2));
            assertThat(c.signedUnverified()).isEqualTo(new Ratio(1, 2));
            assertThat(c.sbom()).isEqualTo(new Ratio(2, 2));
            // the Grype report has no timestamp: it counts from when it arrived; the SARIF one too
            assertThat(c.scanned()).isEqualTo(new Ratio(2, 2));
            assertThat(c.provenance()).isEqualTo(new Ratio(0, 2));
        });
        assertThat(figures.coverage(Duration.ofDays(30), "ledger", null).signed()).isEqualTo(new Ratio(0, 0));
        assertThat(figures.coverage(Duration.ofDays(30), "ledger", null).signed().ratio()).isNull();

        mvc.perform(get("/services/payments-api/artifacts"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("0 of 2")))
                .andExpect(content().string(containsString("Not signed with a verified signature (2)")))
                .andExpect(content().string(containsString("No provenance (2)")))
                .andExpect(content().string(containsString("No SBOM (0)")));
        mvc.perform(get("/services/payments-api/artifacts").param("window", "yesterday")).andExpect(status().isBadRequest());
        mvc.perform(get("/services/nobody/artifacts")).andExpect(status().isNotFound());
    }

    @Test
    @WithMockUser(username = "boss", roles = "EXECUTIVE")
    void theApiListsArtifactsWithTheirChecksAsJsonAndCsv() throws Exception {
        mvc.perform(get("/api/v1/artifacts").param("service", "payments-api"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.total").value(2))
                .andExpect(jsonPath("$.items.length()").value(2))
                .andExpect(jsonPath("$.items[?(@.digest == '" + SIGNED + "')].signature_status").value("no-trusted-key"))
                .andExpect(jsonPath("$.items[?(@.digest == '" + SIGNED + "')].signed_unverified").value(true))
                .andExpect(jsonPath("$.items[?(@.digest == '" + OTHER + "')].sbom").value(true));
        mvc.perform(get("/api/v1/artifacts").param("team", "ledger")).andExpect(jsonPath("$.total").value(0));
        mvc.perform(get("/api/v1/artifacts").param("team", "nobody")).andExpect(status().isBadRequest());
        mvc.perform(get("/api/v1/artifacts.csv").param("service", "payments-api"))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith("text/csv"))
                .andExpect(content().string(containsString("digest,repositories,tags,published_at,signed,signed_unverified,"
                        + "signature_status,scanned,last_scanned_at,sbom,provenance\r\n")))
                .andExpect(content().string(containsString(SIGNED + "," + PAYMENTS + ",,")));
        mvc.perform(get("/api/v1/artifacts/" + SIGNED)).andExpect(status().isOk())
                .andExpect(jsonPath("$.signatures[0].reason").value(containsString("no trusted key")))
                .andExpect(jsonPath("$.services[0]").value("payments-api"));
    }

    @Test
    @WithMockUser(username = "admin", roles = "ADMIN")
    void anAdminTrustsAKeyAndTheSignatureIsVerifiedAtOnce() throws Exception {
        mvc.perform(get("/admin/trusted-keys")).andExpect(status().isOk()).andExpect(content().string(containsString("No trusted key")));
        mvc.perform(post("/admin/trusted-keys").with(csrf()).param("name", "payments release").param("scope", "service")
                .param("service", "payments-api").param("pem", Fixtures.text("interop/cosign-key-simplesigning/cosign.pub")))
                .andExpect(redirectedUrl("/admin/trusted-keys"));
        assertThat(jdbc.queryForObject("select status from signature", String.class)).isEqualTo("verified");
        assertThat(figures.signedCoverage(Duration.ofDays(30), null, "payments-api")).isEqualTo(new Ratio(1, 2));
        assertThat(jdbc.queryForList("select action from audit_log where actor = 'admin'", String.class)).containsExactly("trusted-key.added");
        mvc.perform(post("/admin/trusted-keys").with(csrf()).param("name", "broken").param("scope", "organisation")
                .param("pem", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"))
                .andExpect(redirectedUrl("/admin/trusted-keys"));
        mvc.perform(get("/admin/trusted-keys")).andExpect(content().string(containsString("payments release")));
    }

    @Test
    @WithMockUser(username = "admin", roles = "ADMIN")
    void anAdminTrustsAKeylessSignerAndTheKeylessSignatureCountsAsSigned() throws Exception {
        String keyless = "sha256:0489474da8ea22426ece86ace6c1c0026ab2fd3cdfbbd62b7e94650266c37d9a";
        ingest("signature", PAYMENTS + "@" + keyless, "interop/cosign-keyless-legacy-simplesigning/signature-1");
        mvc.perform(get("/artifacts/" + keyless)).andExpect(status().isOk())
                .andExpect(content().string(containsString("untrusted-identity")))
                .andExpect(content().string(containsString("the certificate names email:mitr@redhat.com")));
        assertThat(figures.signedCoverage(Duration.ofDays(30), null, "payments-api")).isEqualTo(new Ratio(0, 3));

        mvc.perform(get("/admin/trusted-keys")).andExpect(status().isOk())
                .andExpect(content().string(containsString("No trusted keyless signer")));
        mvc.perform(post("/admin/trusted-keys/identities").with(csrf()).param("issuer", "https://github.com/login/oauth")
                .param("subject", "mitr@redhat.com").param("match", "exact").param("scope", "service").param("service", "payments-api"))
                .andExpect(redirectedUrl("/admin/trusted-keys"));

        assertThat(jdbc.queryForMap("select verified, status from signature where identity is not null"))
                .containsEntry("verified", true).containsEntry("status", "verified");
        assertThat(figures.signedCoverage(Duration.ofDays(30), null, "payments-api")).isEqualTo(new Ratio(1, 3));
        mvc.perform(get("/artifacts/" + keyless)).andExpect(content().string(containsString(
                "verified keyless cosign signature by email:mitr@redhat.com (issuer https://github.com/login/oauth), an identity"
                        + " expected for service:payments-api")));
        mvc.perform(get("/admin/trusted-keys")).andExpect(content().string(containsString("mitr@redhat.com")));
        // a regular expression that does not compile is refused with the reason
        mvc.perform(post("/admin/trusted-keys/identities").with(csrf()).param("issuer", "https://github.com/login/oauth")
                .param("subject", "(unclosed").param("match", "regex").param("scope", "organisation"))
                .andExpect(flash().attribute("error", org.hamcrest.Matchers.startsWith(
                        "the subject-regex of an expected Sigstore identity is not a regular expression")));
        assertThat(jdbc.queryForList("select action from audit_log where actor = 'admin'", String.class))
                .containsExactly("trusted-identity.added");
    }

    @Test
    @WithMockUser(username = "owner", roles = "SERVICE_OWNER")
    void onlyAdminsManageTrustedKeys() throws Exception {
        mvc.perform(get("/admin/trusted-keys")).andExpect(status().isForbidden());
        mvc.perform(post("/admin/trusted-keys").with(csrf()).param("name", "x").param("scope", "organisation").param("pem", "x"))
                .andExpect(status().isForbidden());
        mvc.perform(post("/admin/trusted-keys/identities").with(csrf()).param("issuer", "x").param("subject", "x")
                .param("scope", "organisation")).andExpect(status().isForbidden());
    }
}

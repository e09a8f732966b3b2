package dev.assay.incidents;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

import dev.assay.collect.JobStatus;

/**
 * A planted secret never leaks (DESIGN §6): the upstream answers every collector request with an
 * error that echoes the credential Assay sent (as a hostile or careless API might). The collections
 * fail with a clear reason, and the credential — in clear or base64 — is in no log line, no stored
 * row of any table, no API answer and no admin page.
 */
@ExtendWith(OutputCaptureExtension.class)
class PlantedSecretTests extends IncidentTestSupport {

    /** The credentials IncidentTestSupport plants in the environment variables the sources name. */
    static final List<String> SECRETS = List.of("pd-test-token", "og-test-key", "jira-test-token", "jira-test-pat",
            Base64.getEncoder().encodeToString("tester@example.com:jira-test-token".getBytes(StandardCharsets.UTF_8)));

    @Autowired MockMvc mvc;

    @Test
    void anUpstreamThatEchoesTheCredentialCannotMakeAssayLeakIt(CapturedOutput output) throws Exception {
        UPSTREAM.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withHeader("X-Echo", "{{request.headers.Authorization}}")
                .withBody("{\"error\": \"bad credential {{request.headers.Authorization}}\"}").withTransformers("response-template")));

        List<Long> executions = new ArrayList<>();
        for (String source : List.of("pd", "og", "jira3", "jira2")) {
            JobStatus run = collect(source);
            assertThat(run.status()).as(source).isEqualTo("FAILED");
            executions.add(run.executionId());
        }
        // the upstream did receive (and echo) the credential: the test is not vacuous
        assertThat(UPSTREAM.getAllServeEvents()).anySatisfy(e -> assertThat(e.getResponse().getBodyAsString()).contains("pd-test-token"));

        List<String> leaks = new ArrayList<>();
        for (String secret : SECRETS) {
            if (output.getAll().contains(secret)) {
                leaks.add("log: " + secret);
            }
        }
        for (String table : jdbc.queryForList("select table_name from information_schema.tables where table_schema = 'public'",
                String.class)) {
            for (Map<String, Object> row : jdbc.queryForList("select * from " + table)) {
                String text = row.toString();
                SECRETS.stream().filter(text::contains).forEach(s -> leaks.add("table " + table + ": " + s));
            }
        }
        List<String> addresses = new ArrayList<>(List.of("/api/v1/quarantine", "/api/v1/sources", "/admin/jobs", "/admin/quarantine",
                "/admin/audit"));
        executions.forEach(id -> addresses.add("/api/v1/jobs/" + id));
        for (String address : addresses) {
            String body = mvc.perform(MockMvcRequestBuilders.get(address).with(user("admin").roles("ADMIN"))).andReturn().getResponse()
                    .getContentAsString();
            SECRETS.stream().filter(body::contains).forEach(s -> leaks.add(address + ": " + s));
        }
        assertThat(leaks).isEmpty();
    }
}

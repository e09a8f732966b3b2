package dev.assay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * Hostile documents pushed to {@code POST /api/v1/ingest/{kind}}: JSON nesting and size bombs, a
 * gzip bomb, XML external entities and entity expansion, oversized and empty bodies, wrong media
 * types. Each is refused with a clear status and message — and the good incident stored before is
 * still there, and the next good document is still accepted.
 */
@AssayIntegrationTest
class IngestBombTests {

    static final String ARTIFACT = "?artifact=registry.example.com/acme/payments-api@sha256:" + "a".repeat(64);

    @Autowired MockMvc mvc;
    @Autowired DataSource dataSource;

    JdbcTemplate jdbc;

    @BeforeEach
    void aGoodIncidentFirst() throws Exception {
        new DatabaseCleaner(dataSource).cleanAll();
        jdbc = new JdbcTemplate(dataSource);
        push("incident", "", MediaType.APPLICATION_JSON_VALUE, incident("GOOD-1").getBytes(StandardCharsets.UTF_8))
                .andExpect(status().isAccepted());
    }

    static String incident(String id) {
        return "{\"schema\": \"assay.incident/v1\", \"id\": \"" + id + "\", \"title\": \"Checkout errors\","
                + " \"detected_at\": \"2026-11-01T10:00:00Z\"}";
    }

    ResultActions push(String kind, String query, String contentType, byte[] body) throws Exception {
        return mvc.perform(post("/api/v1/ingest/" + kind + query).with(user("ci").roles("ADMIN")).with(csrf())
                .contentType(contentType).content(body));
    }

    @Test
    void aJsonNestingBombIsRefusedAndQuarantined() throws Exception {
        String bomb = "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000);
        push("incident", "", MediaType.APPLICATION_JSON_VALUE, bomb.getBytes(StandardCharsets.UTF_8))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(containsString("nest")));
        assertThat(jdbc.queryForObject("select count(*) from quarantine where source_id = 'ingest:incident'", Integer.class))
                .isEqualTo(1);
        stillWhole();
    }

    @Test
    void aDocumentOverTheSizeLimitIsRefusedWith413() throws Exception {
        byte[] huge = ("{\"title\": \"" + "x".repeat(10_485_760) + "\"}").getBytes(StandardCharsets.UTF_8);
        push("incident", "", MediaType.APPLICATION_JSON_VALUE, huge).andExpect(status().isPayloadTooLarge())
                .andExpect(jsonPath("$.detail").value("The document is larger than the limit of 10485760 bytes"));
        stillWhole();
    }

    @Test
    void aCompressedBodyIsRefusedRatherThanInflated() throws Exception {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                gzip.write(zeros);
            }
        }
        assertThat(zipped.size()).isLessThan(100_000);
        mvc.perform(post("/api/v1/ingest/incident").with(user("ci").roles("ADMIN")).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).header("Content-Encoding", "gzip").content(zipped.toByteArray()))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(jsonPath("$.detail").value("Content-Encoding gzip is not accepted; send the document uncompressed"));
        stillWhole();
    }

    @Test
    void xmlExternalEntitiesAndEntityExpansionAreRefused() throws Exception {
        String xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE bom [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
                + "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\" version=\"1\"><components><component type=\"library\">"
                + "<name>&xxe;</name></component></components></bom>";
        push("sbom", ARTIFACT + "&format=cyclonedx-xml", MediaType.APPLICATION_XML_VALUE, xxe.getBytes(StandardCharsets.UTF_8))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.detail").value(containsString("DOCTYPE")));
        StringBuilder laughs = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for (int i = 1; i < 10; i++) {
            laughs.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i == 1 ? "" : i - 1) + ";").repeat(10)).append("\">");
        }
        laughs.append("]><bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\"><metadata>&lol9;</metadata></bom>");
        push("sbom", ARTIFACT + "&format=cyclonedx-xml", MediaType.APPLICATION_XML_VALUE,
                laughs.toString().getBytes(StandardCharsets.UTF_8)).andExpect(status().isBadRequest());
        assertThat(jdbc.queryForObject("select count(*) from sbom", Integer.class)).isZero();
        assertThat(jdbc.queryForList("select payload from quarantine", String.class)).noneMatch(p -> p.contains("root:x:0:0"));
        stillWhole();
    }

    @Test
    void emptyBodiesWrongMediaTypesAndUnknownKindsGetClearAnswers() throws Exception {
        push("incident", "", MediaType.APPLICATION_JSON_VALUE, new byte[0]).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("The request has no body"));
        push("incident", "", "image/png", new byte[] {1, 2, 3}).andExpect(status().isUnsupportedMediaType());
        push("no-such-kind", "", MediaType.APPLICATION_JSON_VALUE, "{}".getBytes(StandardCharsets.UTF_8))
                .andExpect(status().isNotFound());
        push("incident", "", MediaType.APPLICATION_JSON_VALUE, "{\"schema\": ".getBytes(StandardCharsets.UTF_8))
                .andExpect(status().isBadRequest());
        stillWhole();
    }

    /** The good incident stored before the attack is intact, and a good push still works after it. */
    private void stillWhole() throws Exception {
        assertThat(jdbc.queryForList("select external_id || ' ' || title from incident", String.class))
                .containsExactly("GOOD-1 Checkout errors");
        push("incident", "", MediaType.APPLICATION_JSON_VALUE, incident("GOOD-2").getBytes(StandardCharsets.UTF_8))
                .andExpect(status().isAccepted());
        assertThat(jdbc.queryForObject("select count(*) from incident", Integer.class)).isEqualTo(2);
    }
}

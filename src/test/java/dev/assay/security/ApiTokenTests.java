package dev.assay.security;

import static dev.assay.security.internal.db.Tables.API_TOKEN;
import static dev.assay.security.internal.db.Tables.AUDIT_LOG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.HexFormat;

import javax.sql.DataSource;

import org.hamcrest.Matchers;
import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import dev.assay.AssayIntegrationTest;
import dev.assay.security.internal.ApiTokens;
import dev.assay.security.internal.FirstAdmin;
import dev.assay.security.internal.IssuedApiToken;

/** API tokens: shown once, stored as a hash, scoped, revocable, expiring (DESIGN §4, §6). */
@AssayIntegrationTest
class ApiTokenTests {

    private static final String UNAUTHORIZED_JSON = """
            {"title":"Unauthorized","status":401,"detail":"%s"}""";

    @Autowired MockMvc mvc;
    @Autowired DataSource dataSource;
    @Autowired DSLContext db;
    @Autowired FirstAdmin firstAdmin;
    @Autowired ApiTokens tokens;

    @BeforeEach
    void freshInstallation() throws Exception {
        SecurityTestSupport.freshInstallation(dataSource, firstAdmin);
    }

    @Test
    void theAdminPageShowsANewTokenOnceAndOnlyItsHashIsStored() throws Exception {
        MvcResult created = mvc.perform(post("/admin/tokens").with(user("admin").roles("ADMIN")).with(csrf())
                        .param("name", "ci-payments").param("scopes", "READ").param("scopes", "INGEST"))
                .andExpect(redirectedUrl("/admin/tokens"))
                .andExpect(flash().attribute("newTokenName", "ci-payments"))
                .andReturn();
        String token = (String) created.getFlashMap().get("newToken");
        assertThat(token).matches("assay_[A-Za-z0-9_-]{43}");

        var row = db.selectFrom(API_TOKEN).where(API_TOKEN.NAME.eq("ci-payments")).fetchSingle();
        assertThat(row.getTokenHash()).isEqualTo(sha256(token));
        assertThat(row.getTokenPrefix()).isEqualTo(token.substring(0, 12));
        assertThat(row.getScopes()).isEqualTo("read,ingest");
        assertThat(row.getCreatedBy()).isEqualTo("admin");
        assertThat(row.getExpiresAt()).isNull();
        assertThat(row.intoMap().values()).noneMatch(value -> String.valueOf(value).contains(token.substring(12)));

        var audit = db.selectFrom(AUDIT_LOG).where(AUDIT_LOG.ACTION.eq("token.created")
                .and(AUDIT_LOG.ENTITY_ID.eq("ci-payments"))).fetchSingle();
        assertThat(audit.getActor()).isEqualTo("admin");
        assertThat(audit.getEntityType()).isEqualTo("api-token");
        assertThat(audit.getBeforeState()).isNull();
        assertThat(audit.getAfterState()).isEqualTo("{\"id\":" + row.getId() + ",\"name\":\"ci-payments\",\"prefix\":\""
                + token.substring(0, 12) + "\",\"scopes\":[\"read\",\"ingest\"],\"expiresAt\":null,\"status\":\"active\"}");
        assertThat(db.selectFrom(AUDIT_LOG).fetch()).allSatisfy(line -> {
            assertThat(line.intoMap().values().toString()).doesNotContain(token.substring(6)).doesNotContain(sha256(token));
        });

        // The next view of the page no longer has it.
        mvc.perform(get("/admin/tokens").with(user("admin").roles("ADMIN")))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.not(Matchers.containsString(token))));
    }

    @Test
    void aValidTokenAuthenticatesAsTheTokenWithItsScopesAndRecordsItsUse() throws Exception {
        IssuedApiToken issued = tokens.create("reader", EnumSet.of(ApiScope.READ), null, "admin");

        mvc.perform(get("/api/v1/whoami").header("Authorization", "Bearer " + issued.secret()))
                .andExpect(status().isOk())
                .andExpect(content().json("""
                        {"name":"token:reader","type":"api-token","authorities":["SCOPE_read"]}""", true));

        assertThat(db.select(API_TOKEN.LAST_USED_AT).from(API_TOKEN).where(API_TOKEN.ID.eq(issued.token().id()))
                .fetchSingle().value1()).isNotNull();
    }

    @Test
    void aRevokedTokenIsRefusedWith401() throws Exception {
        IssuedApiToken issued = tokens.create("to-revoke", EnumSet.of(ApiScope.READ), null, "admin");
        mvc.perform(post("/admin/tokens/{id}/revoke", issued.token().id()).with(user("admin").roles("ADMIN")).with(csrf()))
                .andExpect(redirectedUrl("/admin/tokens"))
                .andExpect(flash().attribute("message", "Token revoked: requests using it are now refused."));

        mvc.perform(get("/api/v1/whoami").header("Authorization", "Bearer " + issued.secret()))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string("WWW-Authenticate", "Bearer realm=\"assay\", error=\"invalid_token\""))
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(content().json(UNAUTHORIZED_JSON.formatted("The API token has been revoked"), true));
        assertThat(db.fetchCount(AUDIT_LOG, AUDIT_LOG.ACTION.eq("token.revoked").and(AUDIT_LOG.ENTITY_ID.eq("to-revoke"))))
                .isEqualTo(1);
    }

    @Test
    void anExpiredTokenIsRefusedWith401() throws Exception {
        IssuedApiToken issued = tokens.create("short-lived", EnumSet.of(ApiScope.READ), 1, "admin");
        db.update(API_TOKEN).set(API_TOKEN.EXPIRES_AT, OffsetDateTime.now().minusSeconds(1))
                .where(API_TOKEN.ID.eq(issued.token().id())).execute();

        mvc.perform(get("/api/v1/whoami").header("Authorization", "Bearer " + issued.secret()))
                .andExpect(status().isUnauthorized())
                .andExpect(content().json(UNAUTHORIZED_JSON.formatted("The API token has expired"), true));
    }

    @Test
    void anUnknownOrMalformedTokenIsRefusedWithoutEchoingIt() throws Exception {
        String unknown = "assay_thisTokenWasNeverIssuedByAssayAtAll0000000000";
        MvcResult result = mvc.perform(get("/api/v1/whoami").header("Authorization", "Bearer " + unknown))
                .andExpect(status().isUnauthorized())
                .andExpect(content().json(UNAUTHORIZED_JSON.formatted("Unknown API token"), true))
                .andReturn();
        assertThat(result.getResponse().getContentAsString()).doesNotContain(unknown);

        mvc.perform(get("/api/v1/whoami").header("Authorization", "Bearer <script>"))
                .andExpect(status().isUnauthorized())
                .andExpect(content().json(UNAUTHORIZED_JSON.formatted("Malformed bearer token"), true));
    }

    @Test
    void aReadTokenCannotIngestNorReadAdminResources() throws Exception {
        IssuedApiToken reader = tokens.create("read-only", EnumSet.of(ApiScope.READ), null, "admin");
        String forbidden = """
                {"title":"Forbidden","status":403,"detail":"Your roles or token scopes do not allow this request"}""";

        mvc.perform(post("/api/v1/ingest/sbom").header("Authorization", "Bearer " + reader.secret())
                        .contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isForbidden())
                .andExpect(content().json(forbidden, true));
        mvc.perform(get("/api/v1/sources").header("Authorization", "Bearer " + reader.secret()))
                .andExpect(status().isForbidden());
        mvc.perform(get("/api/v1/quarantine.csv").header("Authorization", "Bearer " + reader.secret()))
                .andExpect(status().isForbidden());
    }

    @Test
    void anIngestTokenCanOnlyIngest() throws Exception {
        IssuedApiToken ingest = tokens.create("ci-ingest", EnumSet.of(ApiScope.INGEST), null, "admin");

        mvc.perform(get("/api/v1/whoami").header("Authorization", "Bearer " + ingest.secret()))
                .andExpect(status().isForbidden());
        mvc.perform(get("/actuator/prometheus").header("Authorization", "Bearer " + ingest.secret()))
                .andExpect(status().isForbidden());
    }

    @Test
    void aBearerRequestNeedsNoCsrfTokenButASessionRequestDoes() throws Exception {
        IssuedApiToken admin = tokens.create("automation", EnumSet.of(ApiScope.ADMIN), null, "admin");

        // Past authorization and CSRF: 405 is Spring MVC saying whoami takes no POST.
        mvc.perform(post("/api/v1/whoami").header("Authorization", "Bearer " + admin.secret()))
                .andExpect(status().isMethodNotAllowed());

        mvc.perform(post("/api/v1/whoami").with(user("admin").roles("ADMIN")))
                .andExpect(status().isForbidden())
                .andExpect(content().json("""
                        {"title":"Forbidden","status":403,"detail":"Missing or invalid CSRF token: a browser session \
                        must send it (header X-CSRF-TOKEN); automation should use an API token instead"}""", true));
        mvc.perform(post("/api/v1/whoami").with(user("admin").roles("ADMIN")).with(csrf()))
                .andExpect(status().isMethodNotAllowed());
    }

    @Test
    void aBadTokenIsRefusedEvenWithAValidSession() throws Exception {
        mvc.perform(get("/api/v1/whoami").with(user("admin").roles("ADMIN"))
                        .header("Authorization", "Bearer assay_notAToken000000000000000000000000000000000"))
                .andExpect(status().isUnauthorized());
        mvc.perform(get("/api/v1/whoami").with(user("admin").roles("ADMIN")))
                .andExpect(status().isOk())
                .andExpect(content().json("""
                        {"name":"admin","type":"user","authorities":["ROLE_ADMIN"]}""", true));
    }

    @Test
    void tokenNamesAreCheckedAndUniqueAmongActiveTokens() throws Exception {
        tokens.create("dup", EnumSet.of(ApiScope.READ), null, "admin");

        mvc.perform(post("/admin/tokens").with(user("admin").roles("ADMIN")).with(csrf())
                        .param("name", "dup").param("expiryDays", "0"))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString(
                        "An active token named &#39;dup&#39; already exists: revoke it first or pick another name")))
                .andExpect(content().string(Matchers.containsString("Choose at least one scope")))
                .andExpect(content().string(Matchers.containsString(
                        "Enter a number of days between 1 and 3650, or leave it empty")));
        assertThat(db.fetchCount(API_TOKEN, API_TOKEN.NAME.eq("dup"))).isEqualTo(1);
    }

    static String sha256(String value) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    }
}

package dev.assay.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import dev.assay.AssayIntegrationTest;

/** The URL rules, CSRF and headers of SecurityConfiguration (DESIGN §6). */
@AssayIntegrationTest
class SecurityRulesTests {

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    @Autowired MockMvc mvc;

    @Test
    void theLoginPageIsPublicAndSentWithStrictHeaders() throws Exception {
        mvc.perform(get("/login"))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Security-Policy", CSP))
                .andExpect(header().string("X-Frame-Options", "DENY"))
                .andExpect(header().string("X-Content-Type-Options", "nosniff"))
                .andExpect(header().string("Referrer-Policy", "same-origin"))
                .andExpect(header().string("Permissions-Policy", "accelerometer=(), camera=(), geolocation=(), "
                        + "gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"))
                .andExpect(header().string("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate"))
                .andExpect(header().doesNotExist("Strict-Transport-Security"))
                .andExpect(content().string(Matchers.containsString("name=\"_csrf\"")))
                .andExpect(content().string(Matchers.not(Matchers.containsString("Single sign-on"))));

        mvc.perform(get("/login").secure(true))
                .andExpect(header().string("Strict-Transport-Security", "max-age=31536000 ; includeSubDomains"));
    }

    @Test
    void anAnonymousVisitorIsSentToTheLoginPage() throws Exception {
        mvc.perform(get("/")).andExpect(status().isFound()).andExpect(redirectedUrl("/login"));
        mvc.perform(get("/teams/payments")).andExpect(redirectedUrl("/login"));
        mvc.perform(get("/admin/users")).andExpect(redirectedUrl("/login"));
    }

    @Test
    void anAnonymousApiCallGets401AsJsonAndNoSession() throws Exception {
        String problem = """
                {"title":"Unauthorized","status":401,
                 "detail":"Authentication required: send 'Authorization: Bearer <API token>' or sign in"}""";
        MvcResult result = mvc.perform(get("/api/v1/teams"))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string("WWW-Authenticate", "Bearer realm=\"assay\""))
                .andExpect(content().json(problem, true))
                .andReturn();
        assertThat(result.getRequest().getSession(false)).isNull();
        assertThat(result.getResponse().getCookie(SecurityTestSupport.SESSION_COOKIE)).as("session cookie").isNull();

        // Without a session there is no CSRF token to miss: the answer is still "authenticate".
        mvc.perform(post("/api/v1/ingest/sbom").content("{}"))
                .andExpect(status().isUnauthorized())
                .andExpect(content().json(problem, true));
        mvc.perform(get("/actuator/prometheus")).andExpect(status().isUnauthorized());
    }

    @Test
    void healthIsPublic() throws Exception {
        mvc.perform(get("/actuator/health")).andExpect(status().isOk());
    }

    @Test
    void aFormPostWithoutItsCsrfTokenIsRefused() throws Exception {
        mvc.perform(post("/admin/users").with(user("admin").roles("ADMIN"))
                        .param("username", "mallory").param("password", "long-enough-password"))
                .andExpect(status().isForbidden());
        mvc.perform(post("/logout").with(user("admin").roles("ADMIN")))
                .andExpect(status().isForbidden());
    }

    @Test
    void logoutEndsTheSessionAndShowsTheLoginPage() throws Exception {
        mvc.perform(post("/logout").with(user("admin").roles("ADMIN")).with(csrf()))
                .andExpect(redirectedUrl("/login?logout"));
    }

    @Test
    void aSignedInPersonWithoutARoleSeesNothing() throws Exception {
        mvc.perform(get("/").with(user("stranger").roles()))
                .andExpect(status().isForbidden());
        mvc.perform(get("/api/v1/whoami").with(user("stranger").roles()))
                .andExpect(status().isForbidden())
                .andExpect(content().json("""
                        {"title":"Forbidden","status":403,"detail":"Your roles or token scopes do not allow this request"}""",
                        true));
    }

    @Test
    void onlyAdminsReachTheAdminPagesAndAdminOnlyApis() throws Exception {
        for (String role : new String[] {"SECURITY", "EXECUTIVE", "SERVICE_OWNER", "RESPONDER"}) {
            mvc.perform(get("/admin").with(user("someone").roles(role))).andExpect(status().isForbidden());
            mvc.perform(get("/admin/tokens").with(user("someone").roles(role))).andExpect(status().isForbidden());
            mvc.perform(get("/api/v1/sources").with(user("someone").roles(role))).andExpect(status().isForbidden());
            mvc.perform(get("/api/v1/quarantine").with(user("someone").roles(role))).andExpect(status().isForbidden());
            mvc.perform(post("/api/v1/sources/demo/collect").with(user("someone").roles(role)).with(csrf()))
                    .andExpect(status().isForbidden());
            mvc.perform(post("/api/v1/ingest/sbom").with(user("someone").roles(role)).with(csrf()))
                    .andExpect(status().isForbidden());
            mvc.perform(get("/api/v1/whoami").with(user("someone").roles(role))).andExpect(status().isOk());
        }
    }

    @Test
    void whatNoRuleNamesIsDenied() throws Exception {
        mvc.perform(put("/teams/payments").with(user("admin").roles("ADMIN")).with(csrf()))
                .andExpect(status().isForbidden());
        mvc.perform(post("/artifacts/sha256:abc").with(user("admin").roles("ADMIN")).with(csrf()))
                .andExpect(status().isForbidden());
        mvc.perform(get("/somewhere-else").with(user("admin").roles("ADMIN")))
                .andExpect(status().isForbidden());
    }
}

package dev.assay.security;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import javax.sql.DataSource;

import jakarta.servlet.http.Cookie;

import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import dev.assay.DatabaseCleaner;
import dev.assay.security.internal.FirstAdmin;

/** What the security tests share: a clean database with only the first admin, and request helpers. */
final class SecurityTestSupport {

    /** The admin password AssayIntegrationTest configures. */
    static final String ADMIN_PASSWORD = "test-admin-password-1";
    /**
     * Spring Session's cookie as MockMvc sees it. Boot applies {@code server.servlet.session.cookie.*}
     * (name JSESSIONID, HttpOnly, SameSite=Lax) to it only with an embedded server, which MockMvc tests
     * have not: here it has Spring Session's own name. TwoInstancesTests checks the real server's cookie.
     */
    static final String SESSION_COOKIE = "SESSION";

    private SecurityTestSupport() {
    }

    /**
     * Empties every table and runs the first-start step again, as on a fresh installation. Tests share
     * one database per context (and one PostgreSQL database in the full suite), so each starts here.
     */
    static void freshInstallation(DataSource dataSource, FirstAdmin firstAdmin) throws Exception {
        new DatabaseCleaner(dataSource).cleanAll();
        firstAdmin.run(null);
    }

    /** A request from a given client address (the per-client login limiter counts by address). */
    static RequestPostProcessor from(String address) {
        return request -> {
            request.setRemoteAddr(address);
            return request;
        };
    }

    /** What the login form posts (with its CSRF token), from a given client address. */
    static MockHttpServletRequestBuilder login(String username, String password, String address) {
        return post("/login").param("username", username).param("password", password).with(csrf()).with(from(address));
    }

    /** The session cookie an answer set (Spring Session's, under the usual name): what a browser sends next. */
    static Cookie sessionCookie(MvcResult result) {
        Cookie cookie = result.getResponse().getCookie(SESSION_COOKIE);
        assertThat(cookie).as("session cookie set by " + result.getRequest().getRequestURI()).isNotNull();
        return cookie;
    }

    /** The session id a session cookie carries (Spring Session writes it base64-encoded). */
    static String sessionIdOf(Cookie cookie) {
        return new String(Base64.getDecoder().decode(cookie.getValue()), StandardCharsets.UTF_8);
    }

}

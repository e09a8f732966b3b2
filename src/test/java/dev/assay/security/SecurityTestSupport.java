package dev.assay.security;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import javax.sql.DataSource;

import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import dev.assay.DatabaseCleaner;
import dev.assay.security.internal.FirstAdmin;

/** What the security tests share: a clean database with only the first admin, and request helpers. */
final class SecurityTestSupport {

    /** The admin password AssayIntegrationTest configures. */
    static final String ADMIN_PASSWORD = "test-admin-password-1";

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
}

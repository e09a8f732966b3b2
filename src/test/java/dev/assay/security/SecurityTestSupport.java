package dev.assay.security;

import java.security.Principal;

import org.springframework.test.web.servlet.request.RequestPostProcessor;

import dev.assay.DatabaseCleaner;
import dev.assay.security.internal.FirstAdmin;

import javax.sql.DataSource;

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

    static Principal principal(String name) {
        return () -> name;
    }
}

package dev.assay;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import dev.assay.MappedRoutes.Route;
import dev.assay.security.ApiScope;
import dev.assay.security.Role;
import dev.assay.security.internal.ApiTokens;
import dev.assay.security.internal.NewUser;
import dev.assay.security.internal.UserAdministration;

/**
 * Web security over every mapped route (DESIGN §6–§7): a state-changing request from a signed-in
 * browser without the CSRF token is refused, whatever the route; every page carries the security
 * headers and a CSP that allows no inline script; SQL-injection attempts in the filter parameters of
 * every API list answer a clear 400 or an empty/normal page — never a 500 — and change nothing.
 */
@AssayIntegrationTest
class WebSecurityMatrixTests {

    static final List<String> SQL_INJECTIONS = List.of("' OR '1'='1", "x'; DROP TABLE finding; --", "1 UNION SELECT password_hash FROM app_user",
            "\\' OR 1=1 --", "%27%20OR%201%3D1");
    static final List<String> FILTERS = List.of("team", "service", "source", "severity", "status", "window", "runbook", "repository",
            "stale", "drill", "due", "sort", "page", "size", "q");

    @Autowired MockMvc mvc;
    @Autowired DataSource dataSource;
    @Autowired ApiTokens tokens;
    @Autowired UserAdministration users;
    @Autowired @Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mappings;

    @BeforeEach
    void clean() {
        new DatabaseCleaner(dataSource).cleanAll();
    }

    @Test
    void everyStateChangingRequestWithoutTheCsrfTokenIsRefused() throws Exception {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Route route : MappedRoutes.of(mappings)) {
            if (route.method() == HttpMethod.GET) {
                continue;
            }
            MockHttpServletResponse response = mvc.perform(request(route.method(), route.path())
                    .with(user("csrf-admin").roles("ADMIN", "SECURITY")).contentType("application/json").content("{}"))
                    .andReturn().getResponse();
            checked++;
            if (response.getStatus() != 403) {
                failures.add(route + " without a CSRF token answered " + response.getStatus());
            }
        }
        Assertions.assertThat(checked).isGreaterThan(40);
        Assertions.assertThat(failures).isEmpty();
    }

    @Test
    void everyPageCarriesTheSecurityHeadersAndACspWithoutInlineScript() throws Exception {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Route route : MappedRoutes.of(mappings)) {
            if (route.method() != HttpMethod.GET) {
                continue;
            }
            MockHttpServletResponse response = mvc.perform(request(HttpMethod.GET, route.path()).with(user("headers-admin")
                    .roles("ADMIN"))).andReturn().getResponse();
            checked++;
            String csp = response.getHeader("Content-Security-Policy");
            if (csp == null || !csp.contains("script-src 'self'") || csp.contains("unsafe-inline") || csp.contains("unsafe-eval")
                    || !csp.contains("frame-ancestors 'none'") || !csp.contains("object-src 'none'")) {
                failures.add(route + ": CSP " + csp);
            }
            Map<String, String> expected = Map.of("X-Content-Type-Options", "nosniff", "X-Frame-Options", "DENY",
                    "Referrer-Policy", "same-origin");
            expected.forEach((header, value) -> {
                if (!value.equals(response.getHeader(header))) {
                    failures.add(route + ": " + header + " = " + response.getHeader(header));
                }
            });
            if (response.getHeader("Permissions-Policy") == null) {
                failures.add(route + ": no Permissions-Policy");
            }
            String type = response.getContentType();
            if (response.getStatus() == 200 && type != null && type.startsWith("text/html")) {
                String body = response.getContentAsString();
                if (body.matches("(?s).*<script(?![^>]*\\bsrc=)[^>]*>.*") || body.matches("(?s).*\\son[a-z]+=\".*")) {
                    failures.add(route + ": inline script or event handler in the page");
                }
            }
        }
        Assertions.assertThat(checked).isGreaterThan(60);
        Assertions.assertThat(failures).isEmpty();
    }

    @Test
    void sqlInjectionInEveryApiFilterIsHarmless() throws Exception {
        String token = tokens.create("sqli", EnumSet.of(ApiScope.READ), null, "test").secret();
        // a payload quoted back in a 400's message is fine; a password hash or a database error in an answer is not
        users.create(new NewUser("victim", "Victim", "victim-password-123", Set.of(Role.SECURITY), Set.of()), "system:test");
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        Assertions.assertThat(jdbc.queryForObject("select password_hash from app_user where username = 'victim'", String.class))
                .startsWith("{bcrypt}$2a$");
        int users = jdbc.queryForObject("select count(*) from app_user", Integer.class);
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Route route : MappedRoutes.of(mappings)) {
            if (route.method() != HttpMethod.GET || !route.api()) {
                continue;
            }
            for (String filter : FILTERS) {
                for (String payload : SQL_INJECTIONS) {
                    MockHttpServletResponse response = mvc.perform(request(HttpMethod.GET, route.path()).param(filter, payload)
                            .header("Authorization", "Bearer " + token)).andReturn().getResponse();
                    checked++;
                    String body = response.getContentAsString();
                    if (response.getStatus() >= 500 && response.getStatus() != 501) {
                        failures.add(route + "?" + filter + "=" + payload + " answered " + response.getStatus());
                    } else if (body.contains("{bcrypt}") || body.contains("$2a$") || body.toLowerCase().contains("sqlexception")
                            || body.toLowerCase().contains("syntax error")) {
                        failures.add(route + "?" + filter + "=" + payload + " leaked: " + body.substring(0, Math.min(200, body.length())));
                    }
                }
            }
        }
        Assertions.assertThat(checked).isGreaterThan(500);
        Assertions.assertThat(failures).isEmpty();
        Assertions.assertThat(jdbc.queryForObject("select count(*) from app_user", Integer.class)).isEqualTo(users);
        Assertions.assertThat(jdbc.queryForObject("select count(*) from finding", Integer.class)).isZero();
    }

    /** A token sent with a state-changing API call needs no CSRF token (it is not a cookie), but a session does. */
    @Test
    void aBearerTokenNeedsNoCsrfTokenButTheScopeStillApplies() throws Exception {
        String read = tokens.create("read-only", EnumSet.of(ApiScope.READ), null, "test").secret();
        MockHttpServletResponse refused = mvc.perform(request(HttpMethod.POST, "/api/v1/ingest/incident")
                .header("Authorization", "Bearer " + read).contentType("application/json").content("{}")).andReturn().getResponse();
        Assertions.assertThat(refused.getStatus()).isEqualTo(403);
        MockHttpServletResponse withSession = mvc.perform(request(HttpMethod.POST, "/api/v1/ingest/incident")
                .with(user("someone").roles("ADMIN")).contentType("application/json").content("{}").with(csrf()))
                .andReturn().getResponse();
        Assertions.assertThat(withSession.getStatus()).isEqualTo(400);
    }
}

package dev.assay;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
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
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import dev.assay.MappedRoutes.Route;

import dev.assay.security.ApiScope;
import dev.assay.security.internal.ApiTokens;

/**
 * Every route the application maps (read from its own handler mappings, so a new route cannot
 * escape), requested by every kind of caller: anonymous, a user of each role, and an API token of
 * each scope. The expected answer restates DESIGN §6 independently of SecurityConfiguration.
 * Object-level checks (own team / other team) are the features' tests; here an EXECUTIVE posting
 * anything must never succeed.
 */
@AssayIntegrationTest
class AuthorizationMatrixTests {

    enum Caller { ANONYMOUS, ADMIN, SECURITY, EXECUTIVE, SERVICE_OWNER, RESPONDER, TOKEN_READ, TOKEN_INGEST, TOKEN_ADMIN }

    private static final Set<Caller> ROLES = EnumSet.of(Caller.ADMIN, Caller.SECURITY, Caller.EXECUTIVE,
            Caller.SERVICE_OWNER, Caller.RESPONDER);

    @Autowired MockMvc mvc;
    @Autowired DataSource dataSource;
    @Autowired ApiTokens tokens;
    @Autowired @Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mappings;

    private final Map<Caller, String> tokenSecrets = new LinkedHashMap<>();

    @BeforeEach
    void issueTokens() {
        new DatabaseCleaner(dataSource).cleanAll();
        tokenSecrets.put(Caller.TOKEN_READ, tokens.create("matrix-read", EnumSet.of(ApiScope.READ), null, "test").secret());
        tokenSecrets.put(Caller.TOKEN_INGEST, tokens.create("matrix-ingest", EnumSet.of(ApiScope.INGEST), null, "test").secret());
        tokenSecrets.put(Caller.TOKEN_ADMIN, tokens.create("matrix-admin", EnumSet.of(ApiScope.ADMIN), null, "test").secret());
    }

    @Test
    void everyRouteAnswersEveryCallerAsTheSecurityModelSays() throws Exception {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Route route : routes()) {
            for (Caller caller : Caller.values()) {
                MockHttpServletResponse response;
                try {
                    response = perform(route, caller);
                } catch (Exception e) {
                    Throwable root = e;
                    while (root.getCause() != null) {
                        root = root.getCause();
                    }
                    failures.add(route + " as " + caller + ": failed with " + root);
                    continue;
                }
                String outcome = outcome(response);
                Access expected = expected(route, caller);
                boolean ok = switch (expected) {
                    case ALLOW -> outcome.equals("reached") && (response.getStatus() < 500 || response.getStatus() == 501);
                    case LOGIN -> outcome.equals("login");
                    case UNAUTHORIZED -> response.getStatus() == 401;
                    case FORBIDDEN -> response.getStatus() == 403;
                    case NO_CHANGE -> response.getStatus() == 403 || response.getStatus() == 404 || response.getStatus() == 405
                            || response.getStatus() == 400 || response.getStatus() == 409;
                };
                checked++;
                if (!ok) {
                    failures.add(route + " as " + caller + ": expected " + expected + ", got " + response.getStatus()
                            + " " + outcome + " " + response.getRedirectedUrl());
                }
            }
        }
        Assertions.assertThat(checked).isGreaterThan(200);
        Assertions.assertThat(failures).as("routes × callers that do not answer as DESIGN §6 says").isEmpty();
    }

    enum Access { ALLOW, LOGIN, UNAUTHORIZED, FORBIDDEN, NO_CHANGE }

    /** DESIGN §6, restated: who may reach what. */
    static Access expected(Route route, Caller caller) {
        String path = route.path();
        boolean api = path.startsWith("/api/v1/");
        boolean get = route.method() == HttpMethod.GET;
        boolean token = caller.name().startsWith("TOKEN_");
        Set<Caller> allowed;
        if (path.equals("/login") && get || path.startsWith("/css/") || path.startsWith("/js/") || path.equals("/error")) {
            return Access.ALLOW;
        }
        if (path.equals("/actuator/prometheus")) {
            // Metrics scraping: an admin, or a token that may read.
            if (caller == Caller.ANONYMOUS) {
                return Access.UNAUTHORIZED;
            }
            return EnumSet.of(Caller.ADMIN, Caller.TOKEN_READ, Caller.TOKEN_ADMIN).contains(caller)
                    ? Access.ALLOW : Access.FORBIDDEN;
        }
        if (api) {
            if (get && (path.startsWith("/api/v1/quarantine") || path.equals("/api/v1/sources"))) {
                allowed = EnumSet.of(Caller.ADMIN, Caller.TOKEN_ADMIN);
            } else if (!get && path.matches("/api/v1/sources/[^/]+/collect")) {
                allowed = EnumSet.of(Caller.ADMIN, Caller.TOKEN_ADMIN);
            } else if (!get && path.startsWith("/api/v1/ingest/")) {
                allowed = EnumSet.of(Caller.ADMIN, Caller.TOKEN_INGEST, Caller.TOKEN_ADMIN);
            } else if (get) {
                allowed = EnumSet.copyOf(ROLES);
                allowed.add(Caller.TOKEN_READ);
                allowed.add(Caller.TOKEN_ADMIN);
            } else {
                allowed = EnumSet.copyOf(ROLES);
                allowed.add(Caller.TOKEN_ADMIN);
            }
            if (caller == Caller.ANONYMOUS) {
                return Access.UNAUTHORIZED;
            }
            if (!allowed.contains(caller)) {
                return Access.FORBIDDEN;
            }
            return caller == Caller.EXECUTIVE && !get && !path.startsWith("/api/v1/ingest/") ? Access.NO_CHANGE : Access.ALLOW;
        }
        if (caller == Caller.ANONYMOUS) {
            return Access.LOGIN;
        }
        if (token) {
            // An API token is for the API: it opens no page.
            return path.startsWith("/actuator/prometheus") && caller != Caller.TOKEN_INGEST ? Access.ALLOW : Access.LOGIN;
        }
        if (path.startsWith("/admin")) {
            return caller == Caller.ADMIN ? Access.ALLOW : Access.FORBIDDEN;
        }
        if (path.matches("/findings/risk-acceptances/[^/]+/(approve|reject)")) {
            // Only SECURITY decides on a risk acceptance (and never the requester: FindingsAuthorizationTests).
            return caller == Caller.SECURITY ? Access.ALLOW : Access.FORBIDDEN;
        }
        if (caller == Caller.EXECUTIVE && (!get || path.endsWith("/new") || path.endsWith("/edit"))) {
            // An executive reads everything and changes nothing: no change is made, no edit form is offered.
            return Access.NO_CHANGE;
        }
        return Access.ALLOW;
    }

    private MockHttpServletResponse perform(Route route, Caller caller) throws Exception {
        MockHttpServletRequestBuilder request = request(route.method(), route.path());
        if (caller.name().startsWith("TOKEN_")) {
            request.header("Authorization", "Bearer " + tokenSecrets.get(caller));
        } else if (caller != Caller.ANONYMOUS) {
            request.with(user("matrix-" + caller.name().toLowerCase()).roles(caller.name()));
        }
        if (route.method() != HttpMethod.GET) {
            request.with(csrf());
            if (route.path().startsWith("/api/v1/ingest/")) {
                request.contentType("application/json").content("{}");
            }
        }
        return mvc.perform(request).andReturn().getResponse();
    }

    /** "login" (sent to the login page), "denied" (401/403) or "reached" (the handler ran). */
    private static String outcome(MockHttpServletResponse response) {
        String redirect = response.getRedirectedUrl();
        if (response.getStatus() == 302 && redirect != null && redirect.contains("/login")) {
            return "login";
        }
        if (response.getStatus() == 401 || response.getStatus() == 403) {
            return "denied";
        }
        return "reached";
    }

    private Set<Route> routes() {
        return MappedRoutes.of(mappings);
    }
}

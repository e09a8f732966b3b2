package dev.assay.security.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.stereotype.Component;

import tools.jackson.databind.json.JsonMapper;

/**
 * How the API says no: an RFC 9457 problem detail ({@code {"title","status","detail"}}), never a
 * redirect to the login page and never an echo of the presented token.
 */
@Component
public class ApiProblems implements AuthenticationEntryPoint, AccessDeniedHandler {

    static final String AUTHENTICATION_REQUIRED =
            "Authentication required: send 'Authorization: Bearer <API token>' or sign in";

    private final JsonMapper json;

    ApiProblems(JsonMapper json) {
        this.json = json;
    }

    /** Anonymous request to the API. */
    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        unauthorized(response, AUTHENTICATION_REQUIRED, false);
    }

    /**
     * Authenticated but not allowed, or a session request without its CSRF token. A CSRF refusal of
     * an anonymous request is answered 401 like any anonymous request: what the client lacks is
     * credentials, and the CSRF filter runs before anonymous authentication.
     */
    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        Authentication current = SecurityContextHolder.getContext().getAuthentication();
        boolean anonymous = current == null || current instanceof AnonymousAuthenticationToken || !current.isAuthenticated();
        if (anonymous) {
            unauthorized(response, AUTHENTICATION_REQUIRED, false);
        } else if (e instanceof CsrfException) {
            write(response, HttpStatus.FORBIDDEN, "Missing or invalid CSRF token: a browser session must send it "
                    + "(header X-CSRF-TOKEN); automation should use an API token instead");
        } else {
            write(response, HttpStatus.FORBIDDEN, "Your roles or token scopes do not allow this request");
        }
    }

    /** A 401 with RFC 6750's {@code WWW-Authenticate}; {@code invalidToken} when a token was presented and refused. */
    public void unauthorized(HttpServletResponse response, String detail, boolean invalidToken) throws IOException {
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE,
                invalidToken ? "Bearer realm=\"assay\", error=\"invalid_token\"" : "Bearer realm=\"assay\"");
        write(response, HttpStatus.UNAUTHORIZED, detail);
    }

    void write(HttpServletResponse response, HttpStatus status, String detail) throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("title", status.getReasonPhrase());
        problem.put("status", status.value());
        problem.put("detail", detail);
        response.setStatus(status.value());
        // JSON is UTF-8 by definition (RFC 8259): bytes, and no charset parameter, as Spring MVC's own problem details.
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(json.writeValueAsBytes(problem));
    }
}

package dev.assay.security.internal;

import java.io.IOException;
import java.util.Locale;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates API requests that carry {@code Authorization: Bearer <token>}. A request with a
 * bearer token is judged by that token alone: a refused token is answered 401 at once, even if the
 * same request also carries a session cookie (so a bearer request can never act as the session
 * user, which is what makes skipping CSRF for bearer requests safe). The authentication lasts for
 * this request only; it is never saved into a session.
 * <p>
 * Not a bean: Spring Boot would register a Filter bean for every request of the servlet container
 * as well; it is added to the security filter chain only.
 */
public final class ApiTokenAuthenticationFilter extends OncePerRequestFilter {

    private static final String BEARER = "bearer ";

    private final ApiTokens tokens;
    private final ApiProblems problems;
    private final RequestMatcher appliesTo;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    public ApiTokenAuthenticationFilter(ApiTokens tokens, ApiProblems problems, RequestMatcher appliesTo) {
        this.tokens = tokens;
        this.problems = problems;
        this.appliesTo = appliesTo;
    }

    /** Whether the request carries a bearer token (of any quality): the CSRF exemption keys on this. */
    public static boolean hasBearerToken(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        return header != null && header.length() >= BEARER.length()
                && header.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !appliesTo.matches(request) || !hasBearerToken(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String token = request.getHeader(HttpHeaders.AUTHORIZATION).substring(BEARER.length()).trim();
        if (!ApiTokens.wellFormed(token)) {
            problems.unauthorized(response, "Malformed bearer token", true);
            return;
        }
        TokenCheck check = tokens.check(token);
        switch (check.outcome()) {
            case VALID -> {
                SecurityContext context = contexts.createEmptyContext();
                context.setAuthentication(new ApiTokenAuthentication(check.token().id(), check.token().name(),
                        AuthorityUtils.createAuthorityList(check.authorities())));
                contexts.setContext(context);
                chain.doFilter(request, response);
            }
            case REVOKED -> problems.unauthorized(response, "The API token has been revoked", true);
            case EXPIRED -> problems.unauthorized(response, "The API token has expired", true);
            default -> problems.unauthorized(response, "Unknown API token", true);
        }
    }
}

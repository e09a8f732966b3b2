package dev.assay.security;

import static org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher.pathPattern;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.stream.Stream;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;
import org.springframework.security.web.access.RequestMatcherDelegatingAccessDeniedHandler;
import org.springframework.security.web.authentication.DelegatingAuthenticationEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.security.SpringSessionBackedSessionRegistry;

import dev.assay.common.AuditEvent;
import dev.assay.security.internal.ApiProblems;
import dev.assay.security.internal.ApiTokenAuthenticationFilter;
import dev.assay.security.internal.ApiTokens;
import dev.assay.security.internal.LocalOidcUserService;

/**
 * The HTTP security of Assay, in one place: deny by default, then exactly the rules of DESIGN §6.
 * Pages use a session (form login, optional OIDC) with CSRF protection; the API under
 * {@code /api/v1} also accepts API tokens ({@code Authorization: Bearer}) and answers 401/403 as
 * JSON problem details instead of redirecting. Object-level checks (team membership) are the
 * features' job; these rules only say which roles or scopes may reach a URL at all.
 * <p>
 * Path patterns are Spring's {@code PathPattern}s: {@code /teams/**} also matches {@code /teams}.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    /** No inline script or style anywhere (DESIGN §6): pages load their CSS and JS from /css and /js. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
            + "frame-ancestors 'none'";
    /** The portal needs none of these browser features; an injected script should not get them either. */
    static final String PERMISSIONS_POLICY = "accelerometer=(), camera=(), geolocation=(), gyroscope=(), "
            + "magnetometer=(), microphone=(), payment=(), usb=()";

    private static final String ADMIN = Role.ADMIN.authority();
    private static final String SCOPE_READ = ApiScope.READ.authority();
    private static final String SCOPE_INGEST = ApiScope.INGEST.authority();
    private static final String SCOPE_ADMIN = ApiScope.ADMIN.authority();

    @Bean
    SecurityFilterChain webSecurity(HttpSecurity http, ApiTokens tokens, ApiProblems problems,
            ObjectProvider<ClientRegistrationRepository> clientRegistrations, LocalOidcUserService oidcUsers,
            SessionRegistry sessionRegistry, AuditLog audit) throws Exception {
        RequestMatcher api = pathPattern("/api/v1/**");
        RequestMatcher prometheus = pathPattern("/actuator/prometheus");
        RequestMatcher machine = request -> api.matches(request) || prometheus.matches(request)
                || pathPattern("/actuator/**").matches(request);
        // CSRF protects cookie-authenticated requests. A bearer token is never sent by a browser on its
        // own, and a request carrying one is judged by that token alone (ApiTokenAuthenticationFilter),
        // so only such requests skip CSRF; a browser session calling the API must send its CSRF token.
        RequestMatcher apiWithBearerToken = request -> api.matches(request)
                && ApiTokenAuthenticationFilter.hasBearerToken(request);

        String[] anyRole = Role.allAuthorities();
        String[] anyRoleOrRead = concat(anyRole, SCOPE_READ);
        String[] anyRoleOrAdminScope = concat(anyRole, SCOPE_ADMIN);

        http.authorizeHttpRequests(authorize -> authorize
                .requestMatchers(HttpMethod.GET, "/login").permitAll()
                .requestMatchers("/css/**", "/js/**", "/images/**", "/favicon.svg", "/webjars/**",
                        "/actuator/health", "/actuator/health/**", "/error").permitAll()
                .requestMatchers("/actuator/prometheus").hasAnyAuthority(ADMIN, SCOPE_READ, SCOPE_ADMIN)
                .requestMatchers(HttpMethod.GET, "/api/v1/quarantine", "/api/v1/quarantine.csv", "/api/v1/sources")
                        .hasAnyAuthority(ADMIN, SCOPE_ADMIN)
                .requestMatchers(HttpMethod.POST, "/api/v1/sources/*/collect").hasAnyAuthority(ADMIN, SCOPE_ADMIN)
                .requestMatchers(HttpMethod.POST, "/api/v1/ingest/**").hasAnyAuthority(SCOPE_INGEST, SCOPE_ADMIN, ADMIN)
                .requestMatchers(HttpMethod.GET, "/api/v1/**").hasAnyAuthority(anyRoleOrRead)
                .requestMatchers("/api/v1/**").hasAnyAuthority(anyRoleOrAdminScope)
                .requestMatchers("/admin/**").hasAuthority(ADMIN)
                .requestMatchers(HttpMethod.GET, "/", "/teams/**", "/services/**", "/my-services/**", "/findings/**", "/findings.csv",
                        "/incidents/**", "/runbooks/**", "/drills/**", "/artifacts/**", "/definitions", "/reports/**",
                        "/dashboard.csv", "/dashboard/**")
                        .hasAnyAuthority(anyRole)
                .requestMatchers(HttpMethod.POST, "/services/**", "/teams/**", "/findings/**", "/incidents/**",
                        "/runbooks/**", "/drills/**").hasAnyAuthority(anyRole)
                .anyRequest().denyAll());

        http.addFilterBefore(new ApiTokenAuthenticationFilter(tokens, problems, request -> api.matches(request)
                || prometheus.matches(request)), UsernamePasswordAuthenticationFilter.class);

        http.formLogin(form -> form.loginPage("/login").loginProcessingUrl("/login").failureUrl("/login?error"));
        // Only when spring.security.oauth2.client.* configures a provider; otherwise nothing changes.
        ClientRegistrationRepository registrations = clientRegistrations.getIfAvailable();
        if (registrations != null) {
            http.oauth2Login(oauth -> oauth.loginPage("/login").failureUrl("/login?error")
                    .userInfoEndpoint(userInfo -> userInfo.oidcUserService(oidcUsers)));
        }
        http.logout(logout -> logout.logoutUrl("/logout").logoutSuccessUrl("/login?logout")
                .addLogoutHandler((request, response, authentication) -> {
                    if (authentication != null) {
                        audit.record(new AuditEvent(authentication.getName(), "logout", "user",
                                authentication.getName(), null, null));
                    }
                }));

        http.csrf(csrf -> csrf.ignoringRequestMatchers(apiWithBearerToken));
        http.sessionManagement(session -> session
                .sessionFixation(fixation -> fixation.changeSessionId())
                // Unlimited sessions per user, but found by principal name in the session table, so an admin's
                // change can end them on every instance (ActiveSessions).
                .sessionConcurrency(concurrency -> concurrency.maximumSessions(-1).sessionRegistry(sessionRegistry)
                        .expiredUrl("/login?expired")));

        AuthenticationEntryPoint entryPoint = DelegatingAuthenticationEntryPoint.builder()
                .addEntryPointFor(problems, machine)
                .defaultEntryPoint(new LoginUrlAuthenticationEntryPoint("/login"))
                .build();
        LinkedHashMap<RequestMatcher, AccessDeniedHandler> deniedHandlers = new LinkedHashMap<>();
        deniedHandlers.put(machine, problems);
        http.exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(entryPoint)
                .accessDeniedHandler(new RequestMatcherDelegatingAccessDeniedHandler(deniedHandlers,
                        new AccessDeniedHandlerImpl())));

        // Remember only page requests for the redirect after login: a saved API request would create
        // a session for every anonymous API call.
        HttpSessionRequestCache requestCache = new HttpSessionRequestCache();
        requestCache.setRequestMatcher(request -> HttpMethod.GET.matches(request.getMethod()) && !machine.matches(request)
                && !"XMLHttpRequest".equals(request.getHeader("X-Requested-With")));
        http.requestCache(cache -> cache.requestCache(requestCache));

        http.headers(headers -> headers
                .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                .frameOptions(frame -> frame.deny())
                .contentTypeOptions(nosniff -> {
                })
                .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN))
                .permissionsPolicyHeader(permissions -> permissions.policy(PERMISSIONS_POLICY))
                // Sent over HTTPS only (a browser ignores it over HTTP anyway).
                .httpStrictTransportSecurity(hsts -> hsts.includeSubDomains(true).maxAgeInSeconds(31_536_000)));
        return http.build();
    }

    /** BCrypt by default, and "{id}"-prefixed hashes so a later switch (e.g. to Argon2) needs no migration. */
    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    /**
     * Sessions are Spring Session's, in the database (spring_session): the registry reads them there by
     * principal name, so an admin's change ends a user's sessions on every instance (ActiveSessions).
     */
    @Bean
    <S extends Session> SessionRegistry sessionRegistry(FindByIndexNameSessionRepository<S> sessions) {
        return new SpringSessionBackedSessionRegistry<>(sessions);
    }

    private static String[] concat(String[] authorities, String... more) {
        return Stream.concat(Arrays.stream(authorities), Arrays.stream(more)).toArray(String[]::new);
    }
}

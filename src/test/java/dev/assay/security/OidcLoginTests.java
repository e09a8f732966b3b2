package dev.assay.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.util.Set;

import javax.sql.DataSource;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import dev.assay.AssayIntegrationTest;
import dev.assay.security.internal.FirstAdmin;
import dev.assay.security.internal.LocalOidcUserService;
import dev.assay.security.internal.NewUser;
import dev.assay.security.internal.UserAdministration;

/**
 * Optional OIDC login, configured by properties only: the identity provider names the person, the
 * local user of the same name gives the roles.
 */
@AssayIntegrationTest
@TestPropertySource(properties = {
        "spring.security.oauth2.client.registration.corp.client-id=assay",
        "spring.security.oauth2.client.registration.corp.client-secret=not-a-real-secret",
        "spring.security.oauth2.client.registration.corp.client-name=Corp SSO",
        "spring.security.oauth2.client.registration.corp.scope=openid,profile,email,read",
        "spring.security.oauth2.client.registration.corp.authorization-grant-type=authorization_code",
        "spring.security.oauth2.client.registration.corp.redirect-uri={baseUrl}/login/oauth2/code/{registrationId}",
        "spring.security.oauth2.client.provider.corp.authorization-uri=https://sso.example.com/authorize",
        "spring.security.oauth2.client.provider.corp.token-uri=https://sso.example.com/token",
        "spring.security.oauth2.client.provider.corp.jwk-set-uri=https://sso.example.com/jwks"
})
class OidcLoginTests {

    @Autowired MockMvc mvc;
    @Autowired DataSource dataSource;
    @Autowired FirstAdmin firstAdmin;
    @Autowired UserAdministration administration;
    @Autowired LocalOidcUserService oidcUsers;
    @Autowired ClientRegistrationRepository registrations;

    @BeforeEach
    void freshInstallation() throws Exception {
        SecurityTestSupport.freshInstallation(dataSource, firstAdmin);
    }

    @Test
    void theLoginPageOffersTheProviderAndTheLinkStartsTheFlow() throws Exception {
        mvc.perform(get("/login"))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString(
                        "<a class=\"button\" href=\"/oauth2/authorization/corp\">Sign in with Corp SSO</a>")));

        String location = mvc.perform(get("/oauth2/authorization/corp"))
                .andExpect(status().isFound()).andReturn().getResponse().getRedirectedUrl();
        assertThat(location).startsWith("https://sso.example.com/authorize?response_type=code&client_id=assay&scope=openid");
    }

    @Test
    void aKnownUserGetsTheRolesFromTheDatabaseAndNothingFromTheProvider() {
        administration.create(new NewUser("alice", null, "alice-long-password", Set.of(Role.SECURITY), Set.of()), "admin");

        OidcUser user = oidcUsers.loadUser(request("alice", "alice@example.com"));

        assertThat(user.getName()).isEqualTo("alice");
        assertThat(user.getAuthorities()).extracting(GrantedAuthority::getAuthority).containsExactly("ROLE_SECURITY");
    }

    @Test
    void anUnknownUserSignsInWithoutAnyRole() {
        OidcUser user = oidcUsers.loadUser(request(null, "zed@example.com"));

        assertThat(user.getName()).isEqualTo("zed@example.com");
        assertThat(user.getAuthorities()).isEmpty();
    }

    @Test
    void aDisabledUserCannotSignIn() {
        administration.create(new NewUser("bob", null, "bob-long-password", Set.of(Role.ADMIN), Set.of()), "admin");
        administration.setEnabled("bob", false, "admin");

        assertThatThrownBy(() -> oidcUsers.loadUser(request("bob", null)))
                .isInstanceOfSatisfying(OAuth2AuthenticationException.class,
                        e -> assertThat(e.getError().getErrorCode()).isEqualTo("access_denied"));
    }

    private OidcUserRequest request(String preferredUsername, String email) {
        Instant now = Instant.now();
        OidcIdToken.Builder idToken = OidcIdToken.withTokenValue("id-token").subject("subject-1")
                .issuer("https://sso.example.com").audience(Set.of("assay")).issuedAt(now).expiresAt(now.plusSeconds(300));
        if (preferredUsername != null) {
            idToken.claim("preferred_username", preferredUsername);
        }
        if (email != null) {
            idToken.claim("email", email);
        }
        OAuth2AccessToken accessToken = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, "access-token", now,
                now.plusSeconds(300), Set.of("openid", "profile", "email", "read"));
        return new OidcUserRequest(registrations.findByRegistrationId("corp"), accessToken, idToken.build());
    }
}

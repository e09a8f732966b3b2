package dev.assay.security.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.StandardClaimNames;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Component;

import dev.assay.common.AuditEvent;
import dev.assay.security.AuditLog;
import dev.assay.security.Role;

/**
 * Optional OIDC login: the identity provider says who someone is, Assay's own {@code app_user}
 * says what they may do. The local user is the one whose username equals the
 * {@code preferred_username} claim (else {@code email}); roles come from the database only.
 * <p>
 * The provider's authorities (e.g. {@code SCOPE_openid}) are dropped on purpose: {@code SCOPE_*}
 * authorities mean API token scopes here, and an IdP scope named "read" must not grant API access.
 * Someone with no local user gets no roles: they can sign in but every page answers 403 until an
 * admin creates the user. A disabled local user cannot sign in.
 */
@Component
public class LocalOidcUserService implements OAuth2UserService<OidcUserRequest, OidcUser> {

    private final OidcUserService delegate = new OidcUserService();
    private final Users users;
    private final AuditLog audit;
    private final AuditJson json;

    LocalOidcUserService(Users users, AuditLog audit, AuditJson json) {
        this.users = users;
        this.audit = audit;
        this.json = json;
    }

    @Override
    public OidcUser loadUser(OidcUserRequest request) throws OAuth2AuthenticationException {
        OidcUser remote = delegate.loadUser(request);
        String nameClaim = remote.getClaimAsString(StandardClaimNames.PREFERRED_USERNAME) != null
                ? StandardClaimNames.PREFERRED_USERNAME : StandardClaimNames.EMAIL;
        String username = remote.getClaimAsString(nameClaim);
        if (username == null || username.isBlank()) {
            throw new OAuth2AuthenticationException(new OAuth2Error("invalid_user_info",
                    "The identity provider sent neither preferred_username nor email", null));
        }
        String provider = request.getClientRegistration().getRegistrationId();
        Optional<UserAccount> local = users.find(username);
        if (local.isPresent() && !local.get().enabled()) {
            record("login.failed", username, provider, "disabled");
            throw new OAuth2AuthenticationException(new OAuth2Error("access_denied", "Account disabled", null));
        }
        List<GrantedAuthority> authorities = local.map(u -> u.roles().stream().map(Role::authority)
                .<GrantedAuthority>map(SimpleGrantedAuthority::new).toList()).orElse(List.of());
        record("login.succeeded", username, provider, local.isPresent() ? null : "no-local-user");
        return new DefaultOidcUser(authorities, remote.getIdToken(), remote.getUserInfo(), nameClaim);
    }

    private void record(String action, String username, String provider, String reason) {
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("method", "oidc");
        after.put("provider", provider);
        if (reason != null) {
            after.put("reason", reason);
        }
        audit.record(new AuditEvent(username, action, LoginAuthenticationProvider.ENTITY_TYPE, username, null,
                json.of(after)));
    }
}

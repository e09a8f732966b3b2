package dev.assay.security.internal;

import java.util.Collection;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

/**
 * A request authenticated by an API token: its name is {@code token:<token name>} (the actor the
 * features write into the audit log) and its authorities are the token's {@code SCOPE_*}. It
 * carries no credentials: the token is not kept once it has been checked.
 */
public final class ApiTokenAuthentication extends AbstractAuthenticationToken {

    public static final String NAME_PREFIX = "token:";

    private final long tokenId;
    private final String name;

    public ApiTokenAuthentication(long tokenId, String tokenName, Collection<? extends GrantedAuthority> authorities) {
        super(authorities);
        this.tokenId = tokenId;
        this.name = NAME_PREFIX + tokenName;
        setAuthenticated(true);
    }

    public long tokenId() {
        return tokenId;
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public Object getPrincipal() {
        return name;
    }

    @Override
    public String getName() {
        return name;
    }
}

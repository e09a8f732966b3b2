package dev.assay.security.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/whoami}: who the API thinks the caller is. Lets automation check a token
 * (name and scopes) before relying on it; says nothing about the token's secret.
 */
@RestController
class WhoAmIController {

    @GetMapping("/api/v1/whoami")
    Map<String, Object> whoami(Authentication authentication) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("name", authentication.getName());
        answer.put("type", authentication instanceof ApiTokenAuthentication ? "api-token" : "user");
        List<String> authorities = authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .filter(a -> a.startsWith("ROLE_") || a.startsWith("SCOPE_")).sorted().toList();
        answer.put("authorities", authorities);
        return answer;
    }
}

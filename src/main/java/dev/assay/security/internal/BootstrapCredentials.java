package dev.assay.security.internal;

import java.util.Optional;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Credentials an operator or provisioning tool hands Assay at start ({@code assay.admin-password},
 * {@code assay.admin-token}; from the environment as {@code ASSAY_ADMIN_PASSWORD} and
 * {@code ASSAY_ADMIN_TOKEN}). Both are optional.
 */
@ConfigurationProperties("assay")
record BootstrapCredentials(String adminPassword, String adminToken) {

    Optional<String> password() {
        return Optional.ofNullable(adminPassword).filter(p -> !p.isBlank());
    }

    Optional<String> token() {
        return Optional.ofNullable(adminToken).map(String::trim).filter(t -> !t.isEmpty());
    }

    /** A record's generated toString would print both secrets into any log line or error that shows it. */
    @Override
    public String toString() {
        return "BootstrapCredentials[adminPassword=" + (password().isPresent() ? "(set)" : "(unset)")
                + ", adminToken=" + (token().isPresent() ? "(set)" : "(unset)") + "]";
    }
}

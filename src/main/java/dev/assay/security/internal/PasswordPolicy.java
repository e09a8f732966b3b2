package dev.assay.security.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;

/**
 * What a password must be: long enough ({@code assay.security.password-min-length}), not the
 * username, and within BCrypt's 72-byte input (longer input is refused by the encoder rather than
 * silently truncated, so it is refused here first with a message a person understands).
 * No composition rules: length is what makes a password strong (NIST SP 800-63B).
 */
@Component
public class PasswordPolicy {

    static final int BCRYPT_MAX_BYTES = 72;

    private final SecuritySettings settings;

    PasswordPolicy(SecuritySettings settings) {
        this.settings = settings;
    }

    public int minLength() {
        return settings.passwordMinLength();
    }

    /** Every rule the password breaks, as messages to show; empty when it is acceptable. */
    public List<String> violations(String username, String password) {
        List<String> problems = new ArrayList<>();
        if (password == null || password.isEmpty()) {
            problems.add("Enter a password of at least " + minLength() + " characters");
            return problems;
        }
        if (password.codePointCount(0, password.length()) < minLength()) {
            problems.add("The password must be at least " + minLength() + " characters long");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > BCRYPT_MAX_BYTES) {
            problems.add("The password must be at most " + BCRYPT_MAX_BYTES + " bytes long (the limit of BCrypt)");
        }
        if (username != null && password.equalsIgnoreCase(username)) {
            problems.add("The password must not be the same as the username");
        }
        return problems;
    }
}

package dev.assay.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The password rules and their messages. */
class PasswordPolicyTests {

    private final PasswordPolicy policy = new PasswordPolicy(
            new SecuritySettings(12, 5, Duration.ofMinutes(15), 50, Duration.ofMinutes(15), 100));

    @Test
    void aLongPasswordThatIsNotTheUsernameIsAccepted() {
        assertThat(policy.violations("alice", "correct horse battery staple")).isEmpty();
        assertThat(policy.violations("alice", "twelve-chars")).isEmpty();
    }

    @Test
    void eachBrokenRuleHasItsMessage() {
        assertThat(policy.violations("alice", "")).containsExactly("Enter a password of at least 12 characters");
        assertThat(policy.violations("alice", null)).containsExactly("Enter a password of at least 12 characters");
        assertThat(policy.violations("alice", "eleven-char")).containsExactly("The password must be at least 12 characters long");
        assertThat(policy.violations("long-username", "LONG-USERNAME"))
                .containsExactly("The password must not be the same as the username");
        assertThat(policy.violations("alice", "é".repeat(37)))
                .containsExactly("The password must be at most 72 bytes long (the limit of BCrypt)");
        assertThat(policy.violations("bob", "bob")).containsExactly("The password must be at least 12 characters long",
                "The password must not be the same as the username");
    }
}

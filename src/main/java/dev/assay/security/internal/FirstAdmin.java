package dev.assay.security.internal;

import java.security.SecureRandom;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;

import dev.assay.security.Role;

/**
 * The first start of an installation (DESIGN §4, "First admin"): when there are no users at all,
 * creates {@code admin} with the ADMIN role and the password from {@code ASSAY_ADMIN_PASSWORD}
 * ({@code assay.admin-password}), or else a random one printed once to the log. A password given
 * that breaks the policy stops the start: a weak credential on the one admin account is worse
 * than a clear error.
 * <p>
 * On every start, {@code ASSAY_ADMIN_TOKEN} ({@code assay.admin-token}), when set, is registered as
 * an admin-scoped API token (see {@link ApiTokens#registerBootstrap}). Neither secret is ever logged
 * (the generated password is, once: that is the only way to hand it over).
 */
@Component
@Order(0)
public class FirstAdmin implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(FirstAdmin.class);

    public static final String USERNAME = "admin";
    static final String ACTOR = "system:first-start";
    static final int GENERATED_LENGTH = 20;
    /** No 0/O, 1/l/I: the password is read off a log by a person. */
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private final Users users;
    private final UserAdministration administration;
    private final PasswordPolicy policy;
    private final ApiTokens tokens;
    private final BootstrapCredentials credentials;
    private final SecureRandom random = new SecureRandom();

    FirstAdmin(Users users, UserAdministration administration, PasswordPolicy policy, ApiTokens tokens,
            BootstrapCredentials credentials) {
        this.users = users;
        this.administration = administration;
        this.policy = policy;
        this.tokens = tokens;
        this.credentials = credentials;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (users.isEmpty()) {
            createAdmin();
        } else if (credentials.password().isPresent()) {
            // Operators sometimes expect the variable to reset the password; say that it does not.
            log.info("ASSAY_ADMIN_PASSWORD is set but users exist already: it is used only on the first start "
                    + "(reset a password on /admin/users instead)");
        }
        credentials.token().ifPresent(tokens::registerBootstrap);
    }

    private void createAdmin() {
        boolean generated = credentials.password().isEmpty();
        String password = credentials.password().orElseGet(this::generatePassword);
        List<String> problems = policy.violations(USERNAME, password);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("ASSAY_ADMIN_PASSWORD (assay.admin-password) is not accepted: "
                    + String.join(". ", problems));
        }
        try {
            administration.create(new NewUser(USERNAME, "Administrator", password, Set.of(Role.ADMIN), Set.of()), ACTOR);
        } catch (DuplicateKeyException e) {
            // Another instance sharing the database created it first: its log has the password.
            log.info("The first admin was created by another instance");
            return;
        }
        if (generated) {
            log.warn("**** ASSAY FIRST ADMIN **** user '{}' created with the generated password: {} "
                    + "(shown only this once; sign in and set a new one on /admin/users/admin, "
                    + "or set ASSAY_ADMIN_PASSWORD before the first start)",
                    USERNAME, password);
        } else {
            log.info("First admin '{}' created with the password from ASSAY_ADMIN_PASSWORD", USERNAME);
        }
    }

    private String generatePassword() {
        int length = Math.max(GENERATED_LENGTH, policy.minLength());
        StringBuilder password = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return password.toString();
    }
}

package dev.assay.security.internal;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of login and passwords ({@code assay.security.*}).
 *
 * @param passwordMinLength  the shortest password accepted (length beats composition rules, NIST SP 800-63B)
 * @param loginMaxFailures   consecutive failed logins of one account that lock it
 * @param loginLockout       how long a locked account stays locked
 * @param clientMaxFailures  failed logins from one client address, across all accounts, before that
 *                           address is refused for the rest of {@code clientWindow} (stops spraying one
 *                           password over many accounts, which the per-account lock cannot see)
 * @param clientWindow       the window the per-client count covers
 * @param clientTrackedMax   how many client addresses are remembered at most (memory bound under attack)
 */
@ConfigurationProperties("assay.security")
record SecuritySettings(@DefaultValue("12") int passwordMinLength, @DefaultValue("5") int loginMaxFailures,
        @DefaultValue("PT15M") Duration loginLockout, @DefaultValue("50") int clientMaxFailures,
        @DefaultValue("PT15M") Duration clientWindow, @DefaultValue("10000") int clientTrackedMax) {

    SecuritySettings {
        if (passwordMinLength < 8) {
            throw new IllegalArgumentException("assay.security.password-min-length must be 8 or more, was " + passwordMinLength);
        }
        if (loginMaxFailures < 1 || clientMaxFailures < 1 || clientTrackedMax < 1) {
            throw new IllegalArgumentException("assay.security login limits must be 1 or more");
        }
        if (loginLockout.isNegative() || loginLockout.isZero() || clientWindow.isNegative() || clientWindow.isZero()) {
            throw new IllegalArgumentException("assay.security.login-lockout and client-window must be positive durations");
        }
    }
}

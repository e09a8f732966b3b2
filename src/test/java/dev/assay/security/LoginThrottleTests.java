package dev.assay.security;

import static dev.assay.security.SecurityTestSupport.login;
import static dev.assay.security.SecurityTestSupport.sessionCookie;
import static dev.assay.security.SecurityTestSupport.sessionIdOf;
import static dev.assay.security.internal.db.Tables.APP_USER;
import static dev.assay.security.internal.db.Tables.AUDIT_LOG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.servlet.http.Cookie;

import org.hamcrest.Matchers;
import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import dev.assay.AssayIntegrationTest;
import dev.assay.security.internal.FirstAdmin;
import dev.assay.security.internal.NewUser;
import dev.assay.security.internal.UserAdministration;

/**
 * Login throttling per account: 5 consecutive failures lock the account for 15 minutes, with the same
 * answer as a wrong password; the lock ends by itself; a success resets the count.
 */
@AssayIntegrationTest
@TestPropertySource(properties = "spring.main.allow-bean-definition-overriding=true")
class LoginThrottleTests {

    static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
    static final String PASSWORD = "correct-horse-battery";
    static final String GENERIC_MESSAGE = "Sign-in failed: the username or password is wrong, or the account is "
            + "temporarily locked after too many failed attempts.";

    /** Replaces the application clock (bean "clock" of dev.assay.common) with one the test moves. */
    @TestConfiguration(proxyBeanMethods = false)
    static class ControllableTime {

        @Bean
        MutableClock clock() {
            return new MutableClock(START);
        }
    }

    @Autowired MockMvc mvc;
    @Autowired DataSource dataSource;
    @Autowired DSLContext db;
    @Autowired FirstAdmin firstAdmin;
    @Autowired UserAdministration administration;
    @Autowired Clock clock;

    MutableClock time;

    @BeforeEach
    void freshInstallationWithOneUser() throws Exception {
        time = (MutableClock) clock;
        time.set(START);
        SecurityTestSupport.freshInstallation(dataSource, firstAdmin);
        administration.create(new NewUser("locky", "Locky", PASSWORD, Set.of(Role.RESPONDER), Set.of()), "admin");
    }

    @Test
    void fiveFailuresLockTheAccountWithTheSameAnswerAsAWrongPasswordUntilTheLockoutEnds() throws Exception {
        for (int attempt = 1; attempt <= 4; attempt++) {
            mvc.perform(login("locky", "wrong-password", "10.1.0.1"))
                    .andExpect(redirectedUrl("/login?error"));
            assertThat(failedLogins()).isEqualTo(attempt);
            assertThat(lockedUntil()).isNull();
        }
        mvc.perform(login("locky", "wrong-password", "10.1.0.1"))
                .andExpect(redirectedUrl("/login?error"));
        assertThat(failedLogins()).isEqualTo(5);
        assertThat(lockedUntil()).isEqualTo(OffsetDateTime.of(2026, 3, 2, 9, 15, 0, 0, ZoneOffset.UTC));

        // Locked: even the right password gets exactly the answer a wrong one gets.
        MvcResult locked = mvc.perform(login("locky", PASSWORD, "10.1.0.1"))
                .andExpect(status().isFound()).andExpect(redirectedUrl("/login?error")).andReturn();
        MvcResult unknown = mvc.perform(login("nobody", PASSWORD, "10.1.0.1"))
                .andExpect(status().isFound()).andExpect(redirectedUrl("/login?error")).andReturn();
        assertThat(locked.getResponse().getHeaderNames()).isEqualTo(unknown.getResponse().getHeaderNames());
        mvc.perform(get("/login").param("error", ""))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString(GENERIC_MESSAGE)));

        time.advance(Duration.ofMinutes(14).plusSeconds(59));
        mvc.perform(login("locky", PASSWORD, "10.1.0.1"))
                .andExpect(redirectedUrl("/login?error"));

        time.advance(Duration.ofSeconds(1));
        mvc.perform(login("locky", PASSWORD, "10.1.0.1"))
                .andExpect(redirectedUrl("/"));
        assertThat(failedLogins()).isZero();
        assertThat(lockedUntil()).isNull();

        assertThat(db.select(AUDIT_LOG.ACTION).from(AUDIT_LOG).where(AUDIT_LOG.ENTITY_ID.eq("locky")
                        .and(AUDIT_LOG.ACTION.startsWith("login."))).orderBy(AUDIT_LOG.ID).fetch(AUDIT_LOG.ACTION))
                .containsExactly("login.failed", "login.failed", "login.failed", "login.failed", "login.locked",
                        "login.locked", "login.locked", "login.succeeded");
        assertThat(db.select(AUDIT_LOG.AFTER_STATE).from(AUDIT_LOG).where(AUDIT_LOG.ENTITY_ID.eq("locky")
                .and(AUDIT_LOG.ACTION.eq("login.locked"))).orderBy(AUDIT_LOG.ID).limit(1).fetchSingle().value1())
                .isEqualTo("{\"reason\":\"too-many-failures\",\"client\":\"10.1.0.1\",\"failedLogins\":5,"
                        + "\"lockedUntil\":\"2026-03-02T09:15:00Z\"}");
    }

    @Test
    void aSuccessfulLoginResetsTheCount() throws Exception {
        for (int attempt = 1; attempt <= 4; attempt++) {
            mvc.perform(login("locky", "wrong-password", "10.1.0.2"))
                    .andExpect(redirectedUrl("/login?error"));
        }
        mvc.perform(login("locky", PASSWORD, "10.1.0.2"))
                .andExpect(redirectedUrl("/"));
        assertThat(failedLogins()).isZero();

        mvc.perform(login("locky", "wrong-password", "10.1.0.2"))
                .andExpect(redirectedUrl("/login?error"));
        assertThat(failedLogins()).isEqualTo(1);
        assertThat(lockedUntil()).isNull();
    }

    @Test
    void anAdminCanLiftALock() throws Exception {
        for (int attempt = 1; attempt <= 5; attempt++) {
            mvc.perform(login("locky", "wrong-password", "10.1.0.3"));
        }
        assertThat(lockedUntil()).isNotNull();

        administration.unlock("locky", "admin");

        mvc.perform(login("locky", PASSWORD, "10.1.0.3"))
                .andExpect(redirectedUrl("/"));
        assertThat(db.fetchCount(AUDIT_LOG, AUDIT_LOG.ACTION.eq("user.unlocked").and(AUDIT_LOG.ACTOR.eq("admin")))).isEqualTo(1);
    }

    @Test
    void loginChangesTheSessionIdAndTheUsernameIsCaseInsensitive() throws Exception {
        // An anonymous page request is remembered for after the login: that makes a session.
        Cookie anonymous = sessionCookie(mvc.perform(get("/teams")).andExpect(redirectedUrl("/login")).andReturn());
        String before = sessionIdOf(anonymous);
        assertThat(sessionRows(before)).isEqualTo(1);

        MvcResult result = mvc.perform(login("Locky", PASSWORD, "10.1.0.4").cookie(anonymous))
                // The page asked for before the login, remembered in the session across the id change.
                .andExpect(redirectedUrl("http://localhost/teams?continue")).andReturn();

        String after = sessionIdOf(sessionCookie(result));
        assertThat(after).isNotEqualTo(before);
        // The session (in the database) got a new id: the old id names nothing any more.
        assertThat(sessionRows(before)).isZero();
        assertThat(sessionRows(after)).isEqualTo(1);
        assertThat(new JdbcTemplate(dataSource).queryForObject("select principal_name from spring_session where session_id = ?",
                String.class, after)).isEqualTo("locky");
        mvc.perform(get("/api/v1/whoami").cookie(anonymous)).andExpect(status().isUnauthorized());
    }

    private int sessionRows(String sessionId) {
        return new JdbcTemplate(dataSource).queryForObject("select count(*) from spring_session where session_id = ?",
                Integer.class, sessionId);
    }

    private int failedLogins() {
        return db.select(APP_USER.FAILED_LOGINS).from(APP_USER).where(APP_USER.USERNAME.eq("locky")).fetchSingle().value1();
    }

    private OffsetDateTime lockedUntil() {
        OffsetDateTime until = db.select(APP_USER.LOCKED_UNTIL).from(APP_USER).where(APP_USER.USERNAME.eq("locky"))
                .fetchSingle().value1();
        return until == null ? null : until.withOffsetSameInstant(ZoneOffset.UTC);
    }
}

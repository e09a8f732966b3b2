package dev.assay.security;

import static dev.assay.security.SecurityTestSupport.login;
import static dev.assay.security.SecurityTestSupport.sessionCookie;
import static dev.assay.security.internal.db.Tables.AUDIT_LOG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.servlet.http.Cookie;

import org.hamcrest.Matchers;
import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.servlet.MockMvc;

import dev.assay.AssayIntegrationTest;
import dev.assay.catalog.TeamMembership;
import dev.assay.security.internal.FirstAdmin;
import dev.assay.security.internal.InvalidInput;
import dev.assay.security.internal.NewUser;
import dev.assay.security.internal.UserAdministration;
import dev.assay.security.internal.Users;

/** The admin's user management: creation, roles, teams, enable/disable, password reset, and their audit lines. */
@AssayIntegrationTest
class UserAdministrationTests {

    @Autowired MockMvc mvc;
    @Autowired DataSource dataSource;
    @Autowired DSLContext db;
    @Autowired FirstAdmin firstAdmin;
    @Autowired UserAdministration administration;
    @Autowired Users users;
    @Autowired TeamMembership teams;
    @Autowired PasswordEncoder passwords;

    @BeforeEach
    void freshInstallation() throws Exception {
        SecurityTestSupport.freshInstallation(dataSource, firstAdmin);
    }

    @Test
    void anAdminCannotRemoveTheirOwnAdminRole() throws Exception {
        mvc.perform(post("/admin/users/admin/roles").with(user("admin").roles("ADMIN")).with(csrf())
                        .param("roles", "SECURITY"))
                .andExpect(redirectedUrl("/admin/users/admin"))
                .andExpect(flash().attribute("error", "You cannot remove your own ADMIN role: ask another admin to do it"));

        assertThat(users.find("admin").orElseThrow().roles()).containsExactly(Role.ADMIN);
        assertThat(db.fetchCount(AUDIT_LOG, AUDIT_LOG.ACTION.eq("user.roles-changed"))).isZero();
    }

    @Test
    void anAdminCannotDisableThemself() throws Exception {
        mvc.perform(post("/admin/users/admin/enabled").with(user("admin").roles("ADMIN")).with(csrf())
                        .param("enabled", "false"))
                .andExpect(redirectedUrl("/admin/users/admin"))
                .andExpect(flash().attribute("error", "You cannot disable your own account: ask another admin to do it"));

        assertThat(users.find("admin").orElseThrow().enabled()).isTrue();
    }

    @Test
    void creatingAUserStoresAHashAndAuditsWithoutIt() throws Exception {
        mvc.perform(post("/admin/users").with(user("admin").roles("ADMIN")).with(csrf())
                        .param("username", "alice").param("displayName", "Alice Example")
                        .param("password", "alice-long-password").param("roles", "SECURITY").param("roles", "RESPONDER"))
                .andExpect(redirectedUrl("/admin/users/alice"))
                .andExpect(flash().attribute("message", "User 'alice' created."));

        assertThat(users.find("alice").orElseThrow().roles()).containsExactlyInAnyOrder(Role.SECURITY, Role.RESPONDER);
        String hash = users.passwordHashOf("alice").orElseThrow();
        assertThat(passwords.matches("alice-long-password", hash)).isTrue();

        var line = db.selectFrom(AUDIT_LOG).where(AUDIT_LOG.ACTION.eq("user.created").and(AUDIT_LOG.ENTITY_ID.eq("alice")))
                .fetchSingle();
        assertThat(line.getActor()).isEqualTo("admin");
        assertThat(line.getEntityType()).isEqualTo("user");
        assertThat(line.getBeforeState()).isNull();
        assertThat(line.getAfterState()).isEqualTo(
                "{\"username\":\"alice\",\"displayName\":\"Alice Example\",\"roles\":[\"SECURITY\",\"RESPONDER\"],\"enabled\":true}");
        assertThat(db.selectFrom(AUDIT_LOG).fetch().toString()).doesNotContain(hash).doesNotContain("alice-long-password");

        mvc.perform(formLogin("/login").user("alice").password("alice-long-password")).andExpect(redirectedUrl("/"));
    }

    @Test
    void aRefusedUserFormIsShownAgainWithOneMessagePerFieldAndWithoutThePassword() throws Exception {
        mvc.perform(post("/admin/users").with(user("admin").roles("ADMIN")).with(csrf())
                        .param("username", "Bad Name").param("password", "short"))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString(
                        "Use 1 to 100 lower-case letters, digits, dots, underscores or hyphens")))
                .andExpect(content().string(Matchers.containsString("The password must be at least 12 characters long")))
                .andExpect(content().string(Matchers.not(Matchers.containsString("value=\"short\""))));
        assertThat(users.exists("bad name")).isFalse();
    }

    @Test
    void thePasswordPolicyIsEnforcedWithClearMessages() {
        assertThatThrownBy(() -> administration.create(
                new NewUser("carol-the-user", null, "carol-the-user", Set.of(), Set.of()), "admin"))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.fieldErrors()).isEqualTo(
                        Map.of("password", "The password must not be the same as the username")));
        assertThatThrownBy(() -> administration.create(new NewUser("carol", null, "tiny", Set.of(), Set.of()), "admin"))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.fieldErrors()).isEqualTo(
                        Map.of("password", "The password must be at least 12 characters long")));
        assertThatThrownBy(() -> administration.create(new NewUser("admin", null, "x".repeat(73), Set.of(), Set.of()),
                "admin"))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.fieldErrors()).isEqualTo(Map.of(
                        "username", "A user named 'admin' already exists",
                        "password", "The password must be at most 72 bytes long (the limit of BCrypt)")));
    }

    @Test
    void rolesChangesAreAuditedWithBeforeAndAfter() throws Exception {
        administration.create(new NewUser("bob", "Bob", "bob-long-password", Set.of(Role.EXECUTIVE), Set.of()), "admin");

        mvc.perform(post("/admin/users/bob/roles").with(user("admin").roles("ADMIN")).with(csrf())
                        .param("roles", "SERVICE_OWNER").param("roles", "EXECUTIVE"))
                .andExpect(redirectedUrl("/admin/users/bob"))
                .andExpect(flash().attribute("message", "Roles saved."));

        var line = db.selectFrom(AUDIT_LOG).where(AUDIT_LOG.ACTION.eq("user.roles-changed")).fetchSingle();
        assertThat(line.getBeforeState())
                .isEqualTo("{\"username\":\"bob\",\"displayName\":\"Bob\",\"roles\":[\"EXECUTIVE\"],\"enabled\":true}");
        assertThat(line.getAfterState()).isEqualTo(
                "{\"username\":\"bob\",\"displayName\":\"Bob\",\"roles\":[\"EXECUTIVE\",\"SERVICE_OWNER\"],\"enabled\":true}");
    }

    @Test
    void aDisabledUserCannotSignInAndAPasswordResetIsAuditedWithoutState() throws Exception {
        administration.create(new NewUser("dave", null, "dave-long-password", Set.of(Role.RESPONDER), Set.of()), "admin");

        mvc.perform(post("/admin/users/dave/enabled").with(user("admin").roles("ADMIN")).with(csrf())
                        .param("enabled", "false"))
                .andExpect(flash().attribute("message", "User disabled; their sessions were ended."));
        mvc.perform(login("dave", "dave-long-password", "10.2.0.1"))
                .andExpect(redirectedUrl("/login?error"));

        mvc.perform(post("/admin/users/dave/password").with(user("admin").roles("ADMIN")).with(csrf())
                        .param("password", "dave-new-long-password"))
                .andExpect(flash().attribute("message", "Password reset."));
        var reset = db.selectFrom(AUDIT_LOG).where(AUDIT_LOG.ACTION.eq("user.password-reset")).fetchSingle();
        assertThat(reset.getBeforeState()).isNull();
        assertThat(reset.getAfterState()).isNull();

        administration.setEnabled("dave", true, "admin");
        mvc.perform(login("dave", "dave-new-long-password", "10.2.0.1"))
                .andExpect(redirectedUrl("/"));
        assertThat(db.select(AUDIT_LOG.ACTION).from(AUDIT_LOG).where(AUDIT_LOG.ENTITY_ID.eq("dave")
                .and(AUDIT_LOG.ACTION.startsWith("user."))).orderBy(AUDIT_LOG.ID).fetch(AUDIT_LOG.ACTION))
                .containsExactly("user.created", "user.disabled", "user.password-reset", "user.enabled");
    }

    @Test
    void disablingOrChangingTheRolesOfAUserEndsTheirSessions() throws Exception {
        administration.create(new NewUser("gina", null, "gina-long-password", Set.of(Role.EXECUTIVE), Set.of()), "admin");
        Cookie session = sessionCookie(mvc.perform(login("gina", "gina-long-password", "10.2.0.2"))
                .andExpect(redirectedUrl("/")).andReturn());
        mvc.perform(get("/api/v1/whoami").cookie(session)).andExpect(status().isOk());

        administration.changeRoles("gina", Set.of(Role.SECURITY), "admin");

        mvc.perform(get("/api/v1/whoami").cookie(session)).andExpect(redirectedUrl("/login?expired"));
        Cookie again = sessionCookie(mvc.perform(login("gina", "gina-long-password", "10.2.0.2"))
                .andExpect(redirectedUrl("/")).andReturn());
        mvc.perform(get("/api/v1/whoami").cookie(again))
                .andExpect(content().json("""
                        {"name":"gina","type":"user","authorities":["ROLE_SECURITY"]}""", true));

        administration.setEnabled("gina", false, "admin");

        mvc.perform(get("/api/v1/whoami").cookie(again)).andExpect(redirectedUrl("/login?expired"));
    }

    @Test
    void teamsAreAssignedThroughTheCatalogAndUnknownTeamsAreRefused() throws Exception {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        OffsetDateTime now = OffsetDateTime.now();
        jdbc.update("insert into team (name, created_at, updated_at) values (?, ?, ?)", "payments", now, now);
        jdbc.update("insert into team (name, created_at, updated_at) values (?, ?, ?)", "identity", now, now);
        administration.create(new NewUser("erin", null, "erin-long-password", Set.of(Role.SERVICE_OWNER), Set.of("payments")),
                "admin");

        mvc.perform(post("/admin/users/erin/teams").with(user("admin").roles("ADMIN")).with(csrf())
                        .param("teams", "identity").param("teams", "payments"))
                .andExpect(flash().attribute("message", "Teams saved."));
        assertThat(teams.assignedTeamsOf("erin")).containsExactly("identity", "payments");

        mvc.perform(post("/admin/users/erin/teams").with(user("admin").roles("ADMIN")).with(csrf())
                        .param("teams", "nope"))
                .andExpect(flash().attribute("error", "No team named nope"));
        assertThat(teams.assignedTeamsOf("erin")).containsExactly("identity", "payments");
        assertThat(db.select(AUDIT_LOG.ACTION).from(AUDIT_LOG).where(AUDIT_LOG.ENTITY_ID.eq("erin"))
                .orderBy(AUDIT_LOG.ID).fetch(AUDIT_LOG.ACTION))
                .containsExactly("user.created", "user.teams-assigned", "user.teams-assigned");
    }

    @Test
    void theAdminPagesRender() throws Exception {
        administration.create(new NewUser("frank", "Frank <b>", "frank-long-password", Set.of(Role.EXECUTIVE), Set.of()),
                "admin");

        mvc.perform(get("/admin").with(user("admin").roles("ADMIN")))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("href=\"/admin/jobs\"")));
        mvc.perform(get("/admin/users").with(user("admin").roles("ADMIN")))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("Frank &lt;b&gt;")));
        mvc.perform(get("/admin/users/frank").with(user("admin").roles("ADMIN")))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("action=\"/admin/users/frank/roles\"")));
        mvc.perform(get("/admin/users/nobody").with(user("admin").roles("ADMIN")))
                .andExpect(status().isNotFound());
        mvc.perform(get("/admin/audit").param("entityType", "user").with(user("admin").roles("ADMIN")))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("user.created")));
    }
}

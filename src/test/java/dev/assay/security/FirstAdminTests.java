package dev.assay.security;

import static dev.assay.security.internal.db.Tables.API_TOKEN;
import static dev.assay.security.internal.db.Tables.APP_USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.Set;

import javax.sql.DataSource;

import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import dev.assay.AssayIntegrationTest;
import dev.assay.security.internal.ApiTokens;
import dev.assay.security.internal.DemoUsers;
import dev.assay.security.internal.FirstAdmin;
import dev.assay.security.internal.Users;

/** The first start with ASSAY_ADMIN_PASSWORD and ASSAY_ADMIN_TOKEN set (DESIGN §4, "First admin"). */
@AssayIntegrationTest
@TestPropertySource(properties = "assay.admin-token=" + FirstAdminTests.ADMIN_TOKEN)
class FirstAdminTests {

    static final String ADMIN_TOKEN = "provisioned-admin-token-0123456789abcdef";
    /** SHA-256 of ADMIN_TOKEN (computed independently: printf %s ... | sha256sum). */
    static final String ADMIN_TOKEN_SHA256 = "ada1d920039d8525ba941147c04ea15f3446ee30a07fd4720c1b19784aa014df";

    @Autowired MockMvc mvc;
    @Autowired DataSource dataSource;
    @Autowired DSLContext db;
    @Autowired FirstAdmin firstAdmin;
    @Autowired ApiTokens tokens;
    @Autowired Users users;
    @Autowired PasswordEncoder passwords;
    @Autowired ApplicationContext context;

    @BeforeEach
    void freshInstallation() throws Exception {
        SecurityTestSupport.freshInstallation(dataSource, firstAdmin);
    }

    @Test
    void theFirstAdminHasThePasswordFromThePropertyAndOnlyTheAdminRole() throws Exception {
        assertThat(users.all()).singleElement().satisfies(admin -> {
            assertThat(admin.username()).isEqualTo("admin");
            assertThat(admin.roles()).isEqualTo(Set.of(Role.ADMIN));
            assertThat(admin.enabled()).isTrue();
        });
        String hash = users.passwordHashOf("admin").orElseThrow();
        assertThat(hash).startsWith("{bcrypt}$2a$10$");
        assertThat(passwords.matches(SecurityTestSupport.ADMIN_PASSWORD, hash)).isTrue();

        mvc.perform(formLogin("/login").user("admin").password(SecurityTestSupport.ADMIN_PASSWORD))
                .andExpect(redirectedUrl("/"));
    }

    @Test
    void aSecondStartCreatesNoOtherUser() throws Exception {
        firstAdmin.run(null);

        assertThat(db.fetchCount(APP_USER)).isEqualTo(1);
    }

    @Test
    void theAdminTokenIsRegisteredOnceStoredHashedAndGrantsEveryScope() throws Exception {
        firstAdmin.run(null);
        firstAdmin.run(null);

        var row = db.selectFrom(API_TOKEN).fetchSingle();
        assertThat(row.getName()).isEqualTo("bootstrap-admin");
        assertThat(row.getScopes()).isEqualTo("admin");
        assertThat(row.getCreatedBy()).isEqualTo("system:bootstrap");
        assertThat(row.getTokenHash()).isEqualTo(ADMIN_TOKEN_SHA256);
        assertThat(row.getTokenPrefix()).isEqualTo("prov");
        assertThat(row.getRevokedAt()).isNull();

        mvc.perform(get("/api/v1/whoami").header("Authorization", "Bearer " + ADMIN_TOKEN))
                .andExpect(status().isOk())
                .andExpect(content().json("""
                        {"name":"token:bootstrap-admin","type":"api-token",
                         "authorities":["SCOPE_admin","SCOPE_ingest","SCOPE_read"]}""", true));
    }

    @Test
    void aNewAdminTokenValueReplacesTheOldOne() throws Exception {
        String rotated = "rotated-admin-token-abcdefghijklmnopqrstuvwxyz";
        tokens.registerBootstrap(rotated);

        assertThat(db.fetchCount(API_TOKEN)).isEqualTo(2);
        assertThat(db.fetchCount(API_TOKEN, API_TOKEN.REVOKED_AT.isNull())).isEqualTo(1);
        mvc.perform(get("/api/v1/whoami").header("Authorization", "Bearer " + ADMIN_TOKEN))
                .andExpect(status().isUnauthorized());
        mvc.perform(get("/api/v1/whoami").header("Authorization", "Bearer " + rotated))
                .andExpect(status().isOk());
    }

    @Test
    void aWeakAdminTokenStopsTheStart() {
        assertThatThrownBy(() -> tokens.registerBootstrap("too-short"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("ASSAY_ADMIN_TOKEN (assay.admin-token) must be 32 to 512 characters from "
                        + "A-Z a-z 0-9 . _ ~ + / - (for example the output of `openssl rand -hex 32`)");
        assertThat(db.fetchCount(API_TOKEN)).isEqualTo(1);
    }

    @Test
    void withoutTheDemoProfileThereAreNoDemoUsers() {
        assertThat(context.getBeanProvider(DemoUsers.class).getIfAvailable()).isNull();
        for (DemoUsers.DemoUser demo : DemoUsers.USERS) {
            assertThat(users.exists(demo.username())).as(demo.username()).isFalse();
        }
    }
}

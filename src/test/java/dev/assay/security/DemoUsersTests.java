package dev.assay.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;

import dev.assay.AssayIntegrationTest;
import dev.assay.security.internal.DemoUsers;
import dev.assay.security.internal.FirstAdmin;
import dev.assay.security.internal.Users;

/** The demo profile's people (and, in FirstAdminTests, their absence without it). */
@AssayIntegrationTest
@ActiveProfiles("demo")
class DemoUsersTests {

    @Autowired MockMvc mvc;
    @Autowired DataSource dataSource;
    @Autowired FirstAdmin firstAdmin;
    @Autowired DemoUsers demoUsers;
    @Autowired Users users;

    @BeforeEach
    void freshDemoInstallation() throws Exception {
        SecurityTestSupport.freshInstallation(dataSource, firstAdmin);
        demoUsers.run(null);
    }

    @Test
    void everyDemoUserExistsWithOneRoleAndTheDocumentedPassword() throws Exception {
        assertThat(users.all()).extracting(u -> u.username() + "=" + u.roles())
                .containsExactly("admin=[ADMIN]", "demo-admin=[ADMIN]", "exec=[EXECUTIVE]", "owner=[SERVICE_OWNER]",
                        "responder=[RESPONDER]", "security=[SECURITY]");
        for (String username : new String[] {"exec", "security", "owner", "responder", "demo-admin"}) {
            mvc.perform(formLogin("/login").user(username).password("assay-demo-" + username))
                    .andExpect(redirectedUrl("/"));
        }
    }

    @Test
    void aSecondStartCreatesNoDuplicates() throws Exception {
        demoUsers.run(null);

        assertThat(users.all()).hasSize(6);
    }
}

package dev.assay.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import dev.assay.AssayIntegrationTest;
import dev.assay.DatabaseCleaner;
import dev.assay.security.internal.FirstAdmin;
import dev.assay.security.internal.Users;

/** The first start without ASSAY_ADMIN_PASSWORD: a random password, printed once. */
@AssayIntegrationTest
@TestPropertySource(properties = "assay.admin-password=")
@ExtendWith(OutputCaptureExtension.class)
class FirstAdminGeneratedPasswordTests {

    private static final Pattern GENERATED = Pattern.compile(
            "\\*\\*\\*\\* ASSAY FIRST ADMIN \\*\\*\\*\\* user 'admin' created with the generated password: (\\S+) ");

    @Autowired MockMvc mvc;
    @Autowired DataSource dataSource;
    @Autowired FirstAdmin firstAdmin;
    @Autowired Users users;

    @Test
    void aRandomPasswordIsPrintedOnceAtWarnAndWorks(CapturedOutput output) throws Exception {
        new DatabaseCleaner(dataSource).cleanAll();
        int before = occurrences(output.getOut());

        firstAdmin.run(null);
        firstAdmin.run(null);

        assertThat(occurrences(output.getOut()) - before).isEqualTo(1);
        String line = lastLineWith(output.getOut(), "**** ASSAY FIRST ADMIN");
        assertThat(line).contains(" WARN ").contains("FirstAdmin");
        Matcher matcher = GENERATED.matcher(line);
        assertThat(matcher.find()).as("the marked line: %s", line).isTrue();
        String password = matcher.group(1);
        assertThat(password).hasSize(20).matches("[A-HJ-NP-Za-km-z2-9]{20}");
        assertThat(users.find("admin").orElseThrow().roles()).containsExactly(Role.ADMIN);

        mvc.perform(formLogin("/login").user("admin").password(password)).andExpect(redirectedUrl("/"));
    }

    private static String lastLineWith(String text, String marker) {
        int at = text.lastIndexOf(marker);
        int start = text.lastIndexOf('\n', at) + 1;
        int end = text.indexOf('\n', at);
        return text.substring(start, end < 0 ? text.length() : end);
    }

    private static int occurrences(String text) {
        int count = 0;
        for (int i = text.indexOf("**** ASSAY FIRST ADMIN"); i >= 0; i = text.indexOf("**** ASSAY FIRST ADMIN", i + 1)) {
            count++;
        }
        return count;
    }
}

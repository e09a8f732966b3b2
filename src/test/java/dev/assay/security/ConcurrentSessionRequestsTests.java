package dev.assay.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Many requests of one new session at once, over real HTTP with sessions in the database (Spring
 * Session JDBC): the first pages after a login all make the session's CSRF token at the same time
 * and all save it. Each of them must answer 200 — before session attributes were upserts, some
 * failed with a 500 on the attribute table's primary key (seen in the 50-session load test).
 * Runs on H2 and, in the full suite, on PostgreSQL.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=${assay.test.datasource-url:jdbc:h2:mem:assay-${random.uuid};MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1}",
        "spring.datasource.username=${assay.test.datasource-username:sa}",
        "spring.datasource.password=${assay.test.datasource-password:}",
        "assay.collect.collect-on-first-start=false",
        "assay.collect.schedules-enabled=false",
        "assay.findings.policy-checks-scheduled=false",
        "assay.admin-password=" + SecurityTestSupport.ADMIN_PASSWORD,
        "assay.sources-file=src/test/resources/sources/test-sources.yml",
        "assay.metrics.scheduling-enabled=false"
})
class ConcurrentSessionRequestsTests {

    static final int SESSIONS = 5;
    static final int REQUESTS_PER_SESSION = 24;
    static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @LocalServerPort int port;

    @Test
    void everyRequestOfANewSessionSentAtOnceIsAnswered() throws Exception {
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<Integer> statuses = new ArrayList<>();
        for (int session = 0; session < SESSIONS; session++) {
            String cookie = login();
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < REQUESTS_PER_SESSION; i++) {
                answers.add(plain.sendAsync(HttpRequest.newBuilder(uri("/")).header("Cookie", "JSESSIONID=" + cookie)
                        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> answer : answers) {
                statuses.add(answer.get().statusCode());
            }
        }
        assertThat(statuses).hasSize(SESSIONS * REQUESTS_PER_SESSION).containsOnly(200);
    }

    /** A form login as the first admin; answers the new session's id. */
    private String login() throws Exception {
        CookieManager cookies = new CookieManager();
        HttpClient browser = HttpClient.newBuilder().cookieHandler(cookies).build();
        String form = browser.send(HttpRequest.newBuilder(uri("/login")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher csrf = CSRF.matcher(form);
        assertThat(csrf.find()).as("the login form carries a CSRF token").isTrue();
        String body = "username=admin&password=" + URLEncoder.encode(SecurityTestSupport.ADMIN_PASSWORD, StandardCharsets.UTF_8)
                + "&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
        HttpResponse<Void> loggedIn = browser.send(HttpRequest.newBuilder(uri("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(loggedIn.statusCode()).isEqualTo(302);
        assertThat(loggedIn.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).doesNotContain("error"));
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("JSESSIONID"))
                .map(HttpCookie::getValue).findFirst().orElseThrow();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}

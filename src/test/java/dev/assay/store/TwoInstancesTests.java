package dev.assay.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.util.FileSystemUtils;

import dev.assay.AssayProcess;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Scale-out (docs/operations.md, "Several instances"): two real Assay processes on different ports
 * share one PostgreSQL database ({@code assay_scaleout}, dropped and made anew), with no sticky
 * routing between them.
 * <ol>
 * <li>A session made by a form login on instance A works on instance B (a page, a POST with its CSRF
 * token, the flash message B stored read on A); logging out on B ends it on A.</li>
 * <li>A source whose schedule fires every 10 s, on both instances: in a minute between two firings
 * ({@value #TICKS} firings) exactly {@value #TICKS} job executions, not twice as many; each instance's log
 * shows it fired every time (it launched, or found the lock taken by the other).</li>
 * <li>Both answer the same figures: metrics, services, teams, incidents and findings of the demo
 * organisation, which instance A collected on its first start.</li>
 * <li>When the server cuts every connection of both pools (as a PostgreSQL restart or failover does), the
 * next requests are answered: Hikari replaces the dead connections, no restart needed.</li>
 * </ol>
 * Tag {@code process}: the full suite only (two application processes, a few minutes). Needs PostgreSQL at 127.0.0.1:5432 with a {@code postgres} user
 * that may create databases; it fails, never skips, without it.
 */
@Tag("process")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoInstancesTests {

    static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    static final String DATABASE = "assay_scaleout";
    static final String USER = "postgres";
    static final String ADMIN_TOKEN = "scaleout-test-admin-token-0123456789";
    static final String ADMIN_PASSWORD = "scaleout-admin-password-1";
    /** Firings of the tick source's schedule (every 10 s) in the minute the test watches. */
    static final int TICKS = 6;
    /** The sources of batch-jobs/sources.yml, each collected once on instance A's first start. */
    static final int DEMO_SOURCES = 8;
    static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"|value=\"([^\"]+)\"\\s+name=\"_csrf\"");

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final JsonMapper json = JsonMapper.builder().build();

    Path dir;
    AssayProcess a;
    AssayProcess b;
    JdbcTemplate db;

    @BeforeAll
    void twoInstancesOnOneDatabase() throws Exception {
        try (Connection admin = DriverManager.getConnection(SERVER + "postgres", USER, "");
                Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + DATABASE);
        }
        db = new JdbcTemplate(new DriverManagerDataSource(SERVER + DATABASE, USER, ""));
        dir = Files.createTempDirectory("assay-scaleout");
        copyDemo(Path.of("batch-jobs/demo").toAbsolutePath(), dir.resolve("demo"));
        Path owners = dir.resolve("tick/acme/tick-service/CODEOWNERS");
        Files.createDirectories(owners.getParent());
        Files.writeString(owners, "* @acme/payments\n");
        Path sources = dir.resolve("sources.yml");
        Files.writeString(sources, demoSourcesWithoutSchedules() + """
                  - id: tick
                    type: files
                    schedule: "*/10 * * * * *"
                    paths:
                      - tick/**/CODEOWNERS
                """);

        a = start("a", sources, true);
        b = start("b", sources, false);
    }

    @AfterAll
    void stop() throws IOException {
        for (AssayProcess instance : new AssayProcess[] {a, b}) {
            if (instance != null) {
                instance.close();
            }
        }
        if (dir != null) {
            FileSystemUtils.deleteRecursively(dir);
        }
    }

    @Test
    @Order(1)
    void aSessionMadeOnOneInstanceWorksOnTheOtherAndEndsOnBoth() throws Exception {
        Browser browser = new Browser();
        HttpResponse<String> loginPage = browser.get(a, "/login");
        assertThat(loginPage.statusCode()).isEqualTo(200);
        HttpResponse<String> login = browser.post(a, "/login", Map.of("username", "admin", "password", ADMIN_PASSWORD,
                "_csrf", csrfOf(loginPage)));
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(location(a, login)).isEqualTo("/");
        assertThat(login.headers().allValues("Set-Cookie")).singleElement().satisfies(cookie -> assertThat(cookie)
                .startsWith("JSESSIONID=").contains("; HttpOnly").contains("; SameSite=Lax").contains("; Path=/"));
        String session = browser.session;
        // One session row, with the 8 h timeout (server.servlet.session.timeout).
        assertThat(db.queryForObject("select max_inactive_interval from spring_session where principal_name = 'admin'",
                Integer.class)).isEqualTo(8 * 3600);

        // Instance B knows the session: an admin page, and a POST with the session's CSRF token.
        HttpResponse<String> usersOnB = browser.get(b, "/admin/users");
        assertThat(usersOnB.statusCode()).isEqualTo(200);
        HttpResponse<String> created = browser.post(b, "/admin/users", Map.of("username", "scaleout-viewer",
                "displayName", "Scale-out viewer", "password", "scaleout-viewer-password", "roles", "EXECUTIVE",
                "_csrf", csrfOf(usersOnB)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(302);
        assertThat(location(b, created)).isEqualTo("/admin/users/scaleout-viewer");
        // The flash message B put in the session is shown by A.
        HttpResponse<String> userOnA = browser.get(a, "/admin/users/scaleout-viewer");
        assertThat(userOnA.statusCode()).isEqualTo(200);
        assertThat(userOnA.body()).containsPattern("User ('|&#39;)scaleout-viewer('|&#39;) created\\.");
        // Without the CSRF token B refuses the POST: the session does not make it a free pass.
        assertThat(browser.post(b, "/admin/users", Map.of("username", "no-csrf", "password", "no-csrf-password-1",
                "roles", "EXECUTIVE")).statusCode()).isEqualTo(403);
        assertThat(browser.session).as("the session id stays").isEqualTo(session);

        HttpResponse<String> logout = browser.post(b, "/logout", Map.of("_csrf", csrfOf(browser.get(b, "/admin/users"))));
        assertThat(logout.statusCode()).isEqualTo(302);
        assertThat(location(b, logout)).isEqualTo("/login?logout");

        browser.session = session;
        HttpResponse<String> afterLogout = browser.get(a, "/admin/users");
        assertThat(afterLogout.statusCode()).isEqualTo(302);
        assertThat(location(a, afterLogout)).isEqualTo("/login");
        assertThat(db.queryForObject("select count(*) from spring_session where principal_name = 'admin'", Integer.class))
                .isZero();
        assertThat(db.queryForObject("select count(*) from app_user where username = 'scaleout-viewer'", Integer.class))
                .isEqualTo(1);
    }

    @Test
    @Order(2)
    void aScheduleFiringOnBothInstancesLaunchesOneCollectionPerFiring() throws Exception {
        // One minute between two firings (the schedule fires at :00, :10, ... every 10 s): 6 firings.
        Instant now = Instant.now();
        Instant from = now.truncatedTo(ChronoUnit.MINUTES).plusSeconds((now.getEpochSecond() % 60 / 10 + 1) * 10L + 5);
        Instant to = from.plus(Duration.ofMinutes(1));
        while (Instant.now().isBefore(to.plusSeconds(10))) {
            Thread.sleep(1_000);
        }
        Instant deadline = Instant.now().plusSeconds(60);
        List<Map<String, Object>> runs = scheduledTickRuns(from, to);
        while (runs.stream().anyMatch(r -> r.get("end_time") == null) && Instant.now().isBefore(deadline)) {
            Thread.sleep(1_000);
            runs = scheduledTickRuns(from, to);
        }

        assertThat(runs).as("job executions of the schedule's %d firings between %s and %s", TICKS, from, to).hasSize(TICKS);
        assertThat(runs).extracting(r -> r.get("status")).containsOnly("COMPLETED");
        List<Instant> created = runs.stream().map(r -> ((Timestamp) r.get("create_time")).toInstant()).sorted().toList();
        for (int i = 1; i < created.size(); i++) {
            assertThat(Duration.between(created.get(i - 1), created.get(i))).as("one execution per firing")
                    .isGreaterThan(Duration.ofSeconds(5));
        }
        // Both instances fired every time: each launched, or found the lock taken by the other.
        int launchedByA = count(a, from, to, "Collection of source tick launched by schedule");
        int launchedByB = count(b, from, to, "Collection of source tick launched by schedule");
        assertThat(launchedByA + launchedByB).isEqualTo(TICKS);
        assertThat(launchedByA + count(a, from, to, "Scheduled collection of tick is being launched by another instance"))
                .as("firings seen by A").isEqualTo(TICKS);
        assertThat(launchedByB + count(b, from, to, "Scheduled collection of tick is being launched by another instance"))
                .as("firings seen by B").isEqualTo(TICKS);
        System.out.println("Schedule firing every 10 s on two instances, " + from + " to " + to + ": " + runs.size()
                + " executions, launched " + launchedByA + " by A and " + launchedByB + " by B");
    }

    @Test
    @Order(3)
    void bothInstancesAnswerTheSameFigures() throws Exception {
        awaitDemoRolledUp();
        List<String> paths = List.of("/api/v1/metrics/mttr?window=P90D", "/api/v1/metrics/mttd?window=P90D",
                "/api/v1/metrics/mtta?window=P90D", "/api/v1/metrics/signed-coverage?window=P30D",
                "/api/v1/metrics/sla-compliance?window=P90D", "/api/v1/metrics/ownership-coverage?window=P30D",
                "/api/v1/services?size=500", "/api/v1/teams?size=500", "/api/v1/incidents?size=500&window=P90D",
                "/api/v1/findings?size=500");
        Map<String, JsonNode> onA = new LinkedHashMap<>();
        for (String path : paths) {
            onA.put(path, api(a, path));
        }
        for (String path : paths) {
            assertThat(api(b, path)).as("B " + path).isEqualTo(onA.get(path));
            assertThat(api(a, path)).as("A again " + path).isEqualTo(onA.get(path));
        }
        // The demo organisation is there, and the figures are the database's.
        assertThat(onA.get("/api/v1/services?size=500").path("total").asLong())
                .isEqualTo(db.queryForObject("select count(*) from service", Long.class)).isPositive();
        assertThat(onA.get("/api/v1/metrics/mttr?window=P90D").path("n").asLong()).isPositive();
        assertThat(onA.get("/api/v1/findings?size=500").path("total").asLong()).isPositive();
    }

    @Test
    @Order(4)
    void connectionsTheServerCutAreReplacedWithoutARestart() throws Exception {
        // What a PostgreSQL failover or restart does to the pools: every connection of both instances is cut.
        List<Boolean> cut = db.queryForList("select pg_terminate_backend(pid) from pg_stat_activity"
                + " where datname = ? and pid <> pg_backend_pid()", Boolean.class, DATABASE);
        assertThat(cut).as("connections of the two pools").isNotEmpty().containsOnly(true);
        // Hikari tests a connection that has been idle for over half a second before lending it (a request
        // already holding a connection when it is cut fails: such a request is not retried).
        Thread.sleep(1_000);

        for (AssayProcess instance : List.of(a, b)) {
            assertThat(api(instance, "/api/v1/services?size=1").path("total").asLong()).isPositive();
            assertThat(api(instance, "/api/v1/metrics/mttr?window=P90D").path("n").asLong()).isPositive();
        }
    }

    private AssayProcess start(String name, Path sources, boolean collectOnFirstStart) throws Exception {
        return AssayProcess.start(dir.resolve(name + ".log"), AssayProcess.freePort(), Map.of(
                "ASSAY_SOURCES_FILE", sources.toString(),
                "ASSAY_ADMIN_TOKEN", ADMIN_TOKEN,
                "ASSAY_ADMIN_PASSWORD", ADMIN_PASSWORD,
                "ASSAY_DATA_DIR", dir.resolve("data-" + name).toString()), List.of(
                "--spring.profiles.active=postgres",
                "--spring.datasource.url=" + SERVER + DATABASE,
                "--spring.datasource.username=" + USER,
                "--spring.datasource.password=",
                "--assay.collect.collect-on-first-start=" + collectOnFirstStart,
                "--assay.findings.policy-checks-scheduled=false",
                // Rollups follow collections quickly; one instance runs them (docs/operations.md).
                "--assay.metrics.collection-poll-interval=PT3S",
                "--assay.metrics.scheduling-enabled=" + collectOnFirstStart,
                "--logging.level.dev.assay.collect.internal.ScheduledCollection=debug"));
    }

    /**
     * The demo's first-start collections are over, and a rollup that started after the last of them ended
     * has completed (the tick source goes on firing meanwhile: it stores nothing new).
     */
    private void awaitDemoRolledUp() throws InterruptedException {
        String demo = """
                from batch_job_execution c where exists (select 1 from batch_job_execution_params p
                    where p.job_execution_id = c.job_execution_id and p.parameter_name = 'sourceId'
                      and p.parameter_value like 'demo-%')""";
        Instant deadline = Instant.now().plusSeconds(300);
        while (Instant.now().isBefore(deadline)) {
            Integer running = db.queryForObject("select count(*) " + demo + " and c.end_time is null", Integer.class);
            Integer demoRuns = db.queryForObject("select count(*) " + demo, Integer.class);
            Integer rolledAfter = db.queryForObject("""
                    select count(*) from batch_job_execution r join batch_job_instance i on i.job_instance_id = r.job_instance_id
                    where i.job_name = 'metricsRollupJob' and r.status = 'COMPLETED'
                      and r.start_time >= (select max(c.end_time) """ + demo + ")", Integer.class);
            if (demoRuns == DEMO_SOURCES && running == 0 && rolledAfter > 0) {
                return;
            }
            Thread.sleep(1_000);
        }
        throw new AssertionError("the demo collections and their rollup did not finish: "
                + db.queryForList("select job_execution_id, status, start_time, end_time from batch_job_execution"));
    }

    private List<Map<String, Object>> scheduledTickRuns(Instant from, Instant to) {
        return db.queryForList("""
                select e.job_execution_id, e.status, e.create_time, e.end_time from batch_job_execution e
                where exists (select 1 from batch_job_execution_params p where p.job_execution_id = e.job_execution_id
                                and p.parameter_name = 'sourceId' and p.parameter_value = 'tick')
                  and exists (select 1 from batch_job_execution_params p where p.job_execution_id = e.job_execution_id
                                and p.parameter_name = 'launchedBy' and p.parameter_value = 'schedule')
                  and e.create_time > ? and e.create_time < ?
                order by e.job_execution_id""", Timestamp.from(from), Timestamp.from(to));
    }

    /** Log lines (each starts with its UTC time stamp) between two instants that contain a text. */
    private static int count(AssayProcess instance, Instant from, Instant to, String text) throws IOException {
        return (int) instance.logText().lines().filter(line -> line.contains(text)).map(TwoInstancesTests::loggedAt)
                .filter(at -> at.isAfter(from) && at.isBefore(to)).count();
    }

    private static Instant loggedAt(String line) {
        return Instant.parse(line.substring(0, line.indexOf(' ')));
    }

    private JsonNode api(AssayProcess instance, String path) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(instance.baseUrl() + path))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(200);
        return BackupRestoreSupport.withoutTimeOfAsking(json.readTree(answer.body()));
    }

    /** A redirect's target, relative to the instance (Tomcat may send it either way). */
    private static String location(AssayProcess instance, HttpResponse<String> response) {
        String location = response.headers().firstValue("Location").orElseThrow();
        return location.startsWith(instance.baseUrl()) ? location.substring(instance.baseUrl().length()) : location;
    }

    private static String csrfOf(HttpResponse<String> page) {
        Matcher matcher = CSRF.matcher(page.body());
        assertThat(matcher.find()).as("a CSRF token in " + page.uri()).isTrue();
        return Optional.ofNullable(matcher.group(1)).orElse(matcher.group(2));
    }

    /** The demo sources (batch-jobs/sources.yml) without their nightly schedules, which must not fire mid-test. */
    private static String demoSourcesWithoutSchedules() throws IOException {
        return Files.readAllLines(Path.of("batch-jobs/sources.yml")).stream()
                .filter(line -> !line.trim().startsWith("schedule:"))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private static void copyDemo(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    /** One browser: a session cookie sent to whichever instance it asks, redirects not followed. */
    private final class Browser {

        String session;

        HttpResponse<String> get(AssayProcess instance, String path) throws Exception {
            return remember(http.send(request(instance, path).GET().build(), HttpResponse.BodyHandlers.ofString()));
        }

        HttpResponse<String> post(AssayProcess instance, String path, Map<String, String> form) throws Exception {
            String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
            return remember(http.send(request(instance, path).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
        }

        private HttpRequest.Builder request(AssayProcess instance, String path) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(instance.baseUrl() + path));
            if (session != null) {
                request.header("Cookie", "JSESSIONID=" + session);
            }
            return request;
        }

        private HttpResponse<String> remember(HttpResponse<String> response) {
            for (String cookie : response.headers().allValues("Set-Cookie")) {
                if (cookie.startsWith("JSESSIONID=")) {
                    String value = cookie.substring("JSESSIONID=".length(), cookie.indexOf(';'));
                    session = value.isEmpty() ? null : value;
                }
            }
            return response;
        }
    }
}

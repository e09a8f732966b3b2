package dev.assay.journeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The catalog journey in a real browser (DESIGN §7): headless Debian Chromium driven by Selenium
 * through {@code /usr/bin/chromedriver}, against the application started as a fresh installation
 * (first-start collection of the demo organisation from {@code batch-jobs/sources.yml}).
 *
 * <p>Part of the full suite only ({@code mvn -Pfull verify -Dassay.included.test.groups=browser}).
 * A machine without Chromium fails this test rather than skipping it. Screenshots go to
 * {@code target/screenshots/}; with {@code -Dassay.docs.screenshots=<folder>} the catalog teams
 * and service pages are also copied there as {@code catalog-teams.png} and
 * {@code catalog-service.png} (the README's pictures live in {@code docs/screenshots/}).
 */
@Tag("browser")
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:assay-journey-${random.uuid};MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
        "spring.datasource.username=sa",
        "spring.datasource.password=",
        "assay.collect.collect-on-first-start=true",
        "assay.admin-password=journey-admin-pass-1"
})
class CatalogJourneyBrowserTest {

    static final String ADMIN_PASSWORD = "journey-admin-pass-1";
    static final Duration FIRST_START_IMPORT_TIMEOUT = Duration.ofSeconds(60);
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @LocalServerPort int port;
    @Autowired DataSource dataSource;

    HeadlessChromium chromium;
    WebDriver browser;
    WebDriverWait wait;

    @BeforeAll
    static void browserIsInstalled() {
        HeadlessChromium.requireInstalled();
    }

    @BeforeEach
    void startBrowser() throws IOException {
        chromium = HeadlessChromium.start("1280,1000");
        browser = chromium.driver();
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        Files.createDirectories(SCREENSHOTS);
        Files.deleteIfExists(SCREENSHOTS.resolve("failed.png"));
        Files.deleteIfExists(SCREENSHOTS.resolve("failed.html"));
    }

    @AfterEach
    void stopBrowser() throws IOException {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void adminLogsInBrowsesTeamToServiceAndLogsOut() throws IOException {
        waitForFirstStartImport();
        try {
            journey();
        } catch (RuntimeException | AssertionError e) {
            throw new AssertionError("Journey failed at " + browser.getCurrentUrl() + " (page saved as "
                    + saveFailedPage() + "): " + e.getMessage() + "\n--- page text ---\n" + pageText(), e);
        }
    }

    private void journey() throws IOException {
        // A page behind the login sends an anonymous visitor to the login form.
        browser.get(url("/teams"));
        wait.until(d -> path(d).equals("/login"));
        WebElement username = wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("username")));
        screenshot("01-login");

        // Log in as the first admin; the login returns the visitor to the page asked for.
        username.sendKeys("admin");
        browser.findElement(By.name("password")).sendKeys(ADMIN_PASSWORD);
        username.findElement(By.xpath("./ancestor::form"))
                .findElement(By.cssSelector("button[type=submit], input[type=submit]")).click();
        wait.until(d -> path(d).equals("/teams"));

        // The teams page lists the demo organisation's teams.
        WebElement main = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("main")));
        WebElement payments = main.findElement(By.cssSelector("a[href='/teams/payments']"));
        assertThat(main.getText()).contains("payments");
        screenshot("02-catalog-teams", "catalog-teams.png");

        // The team page links the services the team owns.
        payments.click();
        wait.until(d -> path(d).equals("/teams/payments"));
        main = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("main")));
        WebElement paymentsApi = main.findElement(By.cssSelector("a[href='/services/payments-api']"));
        screenshot("03-team-payments");

        // The service page names the service and its owning team.
        paymentsApi.click();
        wait.until(d -> path(d).equals("/services/payments-api"));
        main = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("main")));
        assertThat(main.findElement(By.tagName("h1")).getText()).contains("payments-api");
        assertThat(main.findElements(By.cssSelector("a[href='/teams/payments']")))
                .as("the service page links its owning team").isNotEmpty();
        screenshot("04-catalog-service", "catalog-service.png");

        // Logging out ends the session and shows the login form again.
        browser.findElement(By.id("logout")).click();
        wait.until(d -> path(d).equals("/login"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("username")));
        screenshot("05-logged-out");

        // ... and the catalog is out of reach again.
        browser.get(url("/teams"));
        wait.until(d -> path(d).equals("/login"));
    }

    /**
     * The first start imports the demo organisation in a background job: wait (bounded) until a
     * collection job has run, none is still running, and the catalog holds the demo's services.
     */
    private void waitForFirstStartImport() {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        Instant deadline = Instant.now().plus(FIRST_START_IMPORT_TIMEOUT);
        List<Map<String, Object>> jobs = List.of();
        while (Instant.now().isBefore(deadline)) {
            jobs = jdbc.queryForList("select job_execution_id, status, exit_code, end_time from batch_job_execution");
            boolean finished = !jobs.isEmpty() && jobs.stream().allMatch(j -> j.get("end_time") != null);
            if (finished) {
                assertThat(jobs).as("first-start collection jobs").allSatisfy(j -> assertThat(j.get("status")).isEqualTo("COMPLETED"));
                Integer services = jdbc.queryForObject("select count(*) from service where name = 'payments-api'", Integer.class);
                assertThat(services).as("payments-api imported from batch-jobs/demo").isEqualTo(1);
                return;
            }
            sleep(Duration.ofMillis(200));
        }
        fail("The first-start collection did not finish within " + FIRST_START_IMPORT_TIMEOUT.toSeconds()
                + " s; job executions: " + jobs);
    }

    /** Saves what the browser showed when the journey failed: a screenshot and the page source. */
    private Path saveFailedPage() {
        Path page = SCREENSHOTS.resolve("failed.html");
        try {
            Files.write(SCREENSHOTS.resolve("failed.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
            Files.writeString(page, browser.getPageSource());
        } catch (IOException | RuntimeException e) {
            return Path.of("(could not save the page: " + e.getMessage() + ")");
        }
        return page;
    }

    private String pageText() {
        try {
            String text = browser.findElement(By.tagName("body")).getText();
            return text.length() > 2000 ? text.substring(0, 2000) + " ..." : text;
        } catch (RuntimeException e) {
            return "(no page text: " + e.getMessage() + ")";
        }
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private static String path(WebDriver driver) {
        return URI.create(driver.getCurrentUrl()).getPath();
    }

    private void screenshot(String name, String... docsNames) throws IOException {
        Path file = SCREENSHOTS.resolve(name + ".png");
        Files.write(file, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        String docs = System.getProperty("assay.docs.screenshots", "");
        if (!docs.isBlank()) {
            Path folder = Files.createDirectories(Path.of(docs));
            for (String docsName : docsNames) {
                Files.copy(file, folder.resolve(docsName), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

}

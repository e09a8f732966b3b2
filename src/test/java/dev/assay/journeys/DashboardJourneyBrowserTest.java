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
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The dashboard journey in a real browser (issue 7): a fresh installation collects the demo
 * organisation on first start, the metrics rollup job runs after that collection, and the admin
 * opens the dashboard, changes the window, drills down from the organisation to a team and a
 * service, and downloads the league table as CSV. Headless Debian Chromium through
 * {@code /usr/bin/chromedriver}, like {@link CatalogJourneyBrowserTest}.
 *
 * <p>Part of the full suite only ({@code mvn -Pfull verify -Dassay.included.test.groups=browser}).
 * Screenshots go to {@code target/screenshots/}; with {@code -Dassay.docs.screenshots=<folder>} the
 * dashboard is also copied there as {@code dashboard.png} (the README's picture).
 */
@Tag("browser")
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:assay-dashboard-journey-${random.uuid};MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
        "spring.datasource.username=sa",
        "spring.datasource.password=",
        "assay.collect.collect-on-first-start=true",
        "assay.admin-password=journey-admin-pass-1",
        // Look for finished collections every second, so the rollup follows the first-start collection at once.
        "assay.metrics.collection-poll-interval=PT1S"
})
class DashboardJourneyBrowserTest {

    static final String ADMIN_PASSWORD = "journey-admin-pass-1";
    static final Duration FIRST_START_IMPORT_TIMEOUT = Duration.ofSeconds(120);
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
    void adminOpensTheDashboardChangesTheWindowDrillsDownAndDownloadsCsv() throws IOException {
        waitForFirstStartImportAndRollup();
        try {
            journey();
        } catch (RuntimeException | AssertionError e) {
            throw new AssertionError("Journey failed at " + browser.getCurrentUrl() + " (page saved as "
                    + saveFailedPage() + "): " + e.getMessage() + "\n--- page text ---\n" + pageText(), e);
        }
    }

    private void journey() throws IOException {
        browser.get(url("/"));
        wait.until(d -> path(d).equals("/login"));
        WebElement username = wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("username")));
        username.sendKeys("admin");
        browser.findElement(By.name("password")).sendKeys(ADMIN_PASSWORD);
        username.findElement(By.xpath("./ancestor::form"))
                .findElement(By.cssSelector("button[type=submit], input[type=submit]")).click();
        wait.until(d -> path(d).equals("/"));

        // The dashboard: ten tiles with values from the rollups, trends, the league table, freshness.
        WebElement main = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("main")));
        assertThat(main.findElements(By.cssSelector(".figure-tile"))).hasSize(10);
        assertThat(main.findElement(By.id("ownership-coverage")).getText()).matches("[0-9.]+%.*");
        assertThat(main.findElements(By.cssSelector("svg[role=img] title"))).hasSize(10);
        assertThat(browser.findElement(By.id("data-freshness")).getText()).contains("Data last collected");
        assertThat(main.findElement(By.id("league")).getText()).contains("Payments");
        screenshot("dashboard-01-organisation", "dashboard.png");

        // Change the window to 90 days.
        new Select(browser.findElement(By.id("window"))).selectByValue("P90D");
        browser.findElement(By.id("apply-filters")).click();
        wait.until(d -> d.getCurrentUrl().contains("window=P90D"));
        main = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("main")));
        assertThat(main.getText()).contains("window P90D");

        // Organisation -> team (the league table's link) -> service.
        main.findElement(By.cssSelector("#league a[href*='team=payments']")).click();
        wait.until(d -> d.getCurrentUrl().contains("team=payments"));
        main = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("services")));
        screenshot("dashboard-02-team");
        browser.findElement(By.cssSelector("#services a[href*='service=payments-api']")).click();
        wait.until(d -> d.getCurrentUrl().contains("service=payments-api"));
        main = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("main")));
        assertThat(main.getText()).contains("service payments-api");
        screenshot("dashboard-03-service");
        main.findElement(By.cssSelector("a[href='/services/payments-api']")).click();
        wait.until(d -> path(d).equals("/services/payments-api"));

        // Download the league table as CSV (fetched by the page's own session, as the link would).
        browser.get(url("/?window=P90D"));
        String href = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("league-csv"))).getAttribute("href");
        Object csv = ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch(arguments[0]).then(r => r.text().then(t => done(r.status + '\\n' + r.headers.get('content-disposition') + '\\n' + t)))"
                        + ".catch(e => done('failed: ' + e));", href);
        List<String> lines = String.valueOf(csv).lines().toList();
        assertThat(lines.get(0)).isEqualTo("200");
        assertThat(lines.get(1)).isEqualTo("attachment; filename=\"teams.csv\"");
        assertThat(lines.get(2)).startsWith("team,title,mttr_median_s,signed_coverage");
        assertThat(lines.stream().filter(l -> l.startsWith("payments,"))).hasSize(1);
    }

    /** Waits (bounded) until the first-start collections finished and a metrics rollup ran after them. */
    private void waitForFirstStartImportAndRollup() {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        Instant deadline = Instant.now().plus(FIRST_START_IMPORT_TIMEOUT);
        List<Map<String, Object>> jobs = List.of();
        while (Instant.now().isBefore(deadline)) {
            jobs = jdbc.queryForList("select e.job_execution_id, i.job_name, e.status, e.start_time, e.end_time"
                    + " from batch_job_execution e join batch_job_instance i on i.job_instance_id = e.job_instance_id"
                    + " order by e.job_execution_id");
            boolean finished = !jobs.isEmpty() && jobs.stream().allMatch(j -> j.get("end_time") != null);
            boolean rolledUpLast = !jobs.isEmpty() && "metricsRollupJob".equals(jobs.get(jobs.size() - 1).get("job_name"));
            if (finished && rolledUpLast) {
                assertThat(jobs).allSatisfy(j -> assertThat(j.get("status")).isEqualTo("COMPLETED"));
                return;
            }
            sleep(Duration.ofMillis(200));
        }
        fail("The first-start collection and the rollup after it did not finish within "
                + FIRST_START_IMPORT_TIMEOUT.toSeconds() + " s; job executions: " + jobs);
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

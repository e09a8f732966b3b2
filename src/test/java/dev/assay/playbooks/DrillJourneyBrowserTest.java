package dev.assay.playbooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.assay.journeys.HeadlessChromium;

/**
 * A whole drill in a real browser (issue 8, DESIGN §7): headless Debian Chromium through
 * {@code /usr/bin/chromedriver}, against a fresh installation that collects the demo organisation
 * and the demo runbooks on first start. The admin opens the card-authorisation runbook, starts a
 * tabletop drill, completes step 1, skips step 2 with a reason, completes step 3, finishes, opens
 * the report, and sees drill coverage move from 0 of 12 to 2 of 12 tier-1 services.
 *
 * <p>Full suite only ({@code mvn -Pfull verify}); a machine without Chromium fails, never skips.
 * The phone-sized window (412 × 915) is deliberate: the run view is used on phones. Screenshots
 * go to {@code target/screenshots/drill-*.png}.
 */
@Tag("browser")
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:assay-drill-journey-${random.uuid};MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
        "spring.datasource.username=sa",
        "spring.datasource.password=",
        "assay.collect.collect-on-first-start=true",
        "assay.sources-file=src/test/resources/playbooks/journey-sources.yml",
        "assay.admin-password=drill-journey-pass-1"
})
class DrillJourneyBrowserTest {

    static final Duration FIRST_START_IMPORT_TIMEOUT = Duration.ofSeconds(90);
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
        chromium = HeadlessChromium.start("412,915");
        browser = chromium.driver();
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterEach
    void stopBrowser() throws IOException {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void aResponderRunsAWholeDrillAndTheCoverageMoves() throws IOException {
        waitForFirstStartImport();
        try {
            journey();
        } catch (RuntimeException | AssertionError e) {
            Path page = SCREENSHOTS.resolve("drill-failed.html");
            Files.writeString(page, browser.getPageSource());
            throw new AssertionError("Journey failed at " + browser.getCurrentUrl() + " (page saved as " + page + "): "
                    + e.getMessage(), e);
        }
    }

    private void journey() throws IOException {
        browser.get(url("/runbooks"));
        wait.until(d -> path(d).equals("/login"));
        WebElement username = wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("username")));
        username.sendKeys("admin");
        browser.findElement(By.name("password")).sendKeys("drill-journey-pass-1");
        username.findElement(By.xpath("./ancestor::form")).findElement(By.cssSelector("button[type=submit], input[type=submit]"))
                .click();
        wait.until(d -> path(d).equals("/runbooks"));
        assertThat(text(By.id("drill-coverage"))).isEqualTo("0.0%");
        screenshot("drill-01-runbooks");

        browser.findElement(By.linkText("Card authorisation outage (payments-api)")).click();
        wait.until(d -> path(d).startsWith("/runbooks/"));
        assertThat(text(By.id("main"))).contains("Incident commander", "payments on-call primary",
                "Route traffic away from the failing acquirer in payment-gateway-adapter");
        WebElement start = browser.findElement(By.id("start-drill"));
        start.findElement(By.id("scenario")).sendKeys("Acquirer A answers 503 for 30% of authorisations");
        start.findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(d -> path(d).startsWith("/drills/"));
        String drill = path(browser);
        assertThat(text(By.id("drill-status"))).isEqualTo("running");
        screenshot("drill-02-started");

        click("Start step 1");
        browser.findElement(By.id("notes-1")).sendKeys("Paged and channel open");
        click("Complete step 1");
        click("Start step 2");
        browser.findElement(By.id("reason-2")).sendKeys("Dashboards are not part of the tabletop");
        click("Skip step 2");
        click("Start step 3");
        click("Complete step 3");
        assertThat(text(By.id("step-1"))).contains("completed");
        assertThat(text(By.id("step-2"))).contains("skipped", "Dashboards are not part of the tabletop");
        assertThat(text(By.id("step-3"))).contains("completed");
        screenshot("drill-03-steps");

        new Select(browser.findElement(By.id("outcome"))).selectByValue("partial");
        browser.findElement(By.id("lessons")).sendKeys("Routing change needs a dry-run command.");
        browser.findElement(By.id("finish-form")).findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(d -> text(By.id("drill-status")).equals("finished (partial)"));
        assertThat(path(browser)).isEqualTo(drill);

        browser.findElement(By.id("report-link")).click();
        wait.until(d -> path(d).equals(drill + "/report"));
        assertThat(text(By.id("step-counts"))).isEqualTo("2 completed, 1 skipped, 4 not done, 0 late");
        assertThat(text(By.id("main"))).contains("Dashboards are not part of the tabletop",
                "Routing change needs a dry-run command.");
        screenshot("drill-04-report");

        browser.get(url("/runbooks"));
        wait.until(d -> path(d).equals("/runbooks"));
        assertThat(text(By.id("drill-coverage"))).isEqualTo("16.7%");
        screenshot("drill-05-coverage");
    }

    /** Presses the button with that accessible name and waits for the page it leads to. */
    private void click(String label) {
        By selector = By.cssSelector("button[aria-label='" + label + "']");
        // The previous action's page may still be replacing the document: wait until the button is
        // clickable in the current one, and try again if Chromium reports the node as detached.
        WebElement button = null;
        for (int attempt = 1; ; attempt++) {
            try {
                button = wait.until(ExpectedConditions.elementToBeClickable(selector));
                button.click();
                break;
            } catch (org.openqa.selenium.WebDriverException detached) {
                if (attempt == 3) {
                    throw detached;
                }
            }
        }
        wait.until(ExpectedConditions.stalenessOf(button));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("drill-status")));
    }

    private String text(By by) {
        return browser.findElement(by).getText().strip();
    }

    private void waitForFirstStartImport() {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        Instant deadline = Instant.now().plus(FIRST_START_IMPORT_TIMEOUT);
        List<Map<String, Object>> jobs = List.of();
        while (Instant.now().isBefore(deadline)) {
            jobs = jdbc.queryForList("select job_execution_id, status, end_time from batch_job_execution");
            if (jobs.size() == 2 && jobs.stream().allMatch(j -> j.get("end_time") != null)) {
                assertThat(jobs).allSatisfy(j -> assertThat(j.get("status")).isEqualTo("COMPLETED"));
                assertThat(jdbc.queryForObject("select count(*) from runbook", Integer.class)).isEqualTo(7);
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        fail("The first-start collection did not finish within " + FIRST_START_IMPORT_TIMEOUT.toSeconds() + " s: " + jobs);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private static String path(WebDriver driver) {
        return URI.create(driver.getCurrentUrl()).getPath();
    }

    private void screenshot(String name) throws IOException {
        Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

}

package dev.assay.findings;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

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

import dev.assay.DatabaseCleaner;
import dev.assay.journeys.HeadlessChromium;
import dev.assay.collect.CollectionLauncher;
import dev.assay.collect.CollectionRuns;
import dev.assay.collect.JobExecutions;
import dev.assay.security.Role;
import dev.assay.security.internal.NewUser;
import dev.assay.security.internal.UserAdministration;

/**
 * The remediation journey in a real browser (headless Debian Chromium through Selenium): a service
 * owner opens the queue, assigns an overdue finding to themself and requests a risk acceptance; a
 * SECURITY user approves it; the SLA compliance figure changes.
 * <p>
 * Data: team checkout (olivia) owns checkout-api. Finding "CVE-2026-0001" (high) was first seen 40
 * days ago and fixed 20 days ago, 10 days inside its 30-day SLA; "CVE-2026-0002" (critical, 7-day
 * SLA) was first seen 10 days ago and is 3 days overdue. SLA compliance over 90 days is then 1 of 2
 * (50.0%); accepting the risk of the overdue one takes it out of the figure: 1 of 1 (100.0%).
 * <p>
 * Full suite only ({@code -Dassay.included.test.groups=browser}); fails, never skips, without Chromium.
 */
@Tag("browser")
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:assay-findings-journey-${random.uuid};MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
        "spring.datasource.username=sa",
        "spring.datasource.password=",
        "assay.collect.collect-on-first-start=false",
        "assay.findings.policy-checks-scheduled=false",
        "assay.admin-password=journey-admin-pass-1",
        "assay.sources-file=src/test/resources/sources/findings-sources.yml"
})
class FindingsJourneyBrowserTest {

    static final String OWNER_PASSWORD = "olivia-journey-pass-1";
    static final String SECURITY_PASSWORD = "sam-journey-pass-12";
    static final Path SCREENSHOTS = Path.of("target", "screenshots", "findings");

    @LocalServerPort int port;
    @Autowired DataSource dataSource;
    @Autowired CollectionLauncher launcher;
    @Autowired JobExecutions executions;
    @Autowired UserAdministration users;
    @Autowired FindingsIntake intake;

    HeadlessChromium chromium;
    WebDriver browser;
    WebDriverWait wait;

    @BeforeAll
    static void browserIsInstalled() {
        HeadlessChromium.requireInstalled();
    }

    @BeforeEach
    void organisationAndBrowser() throws IOException {
        new DatabaseCleaner(dataSource).cleanAllExcept("app_user", "user_role");
        assertThat(CollectionRuns.collectAndWait(launcher, executions, "findings-catalog").status()).isEqualTo("COMPLETED");
        users.create(new NewUser("olivia", "Olivia Owner", OWNER_PASSWORD, Set.of(Role.SERVICE_OWNER), Set.of()), "system:test");
        users.create(new NewUser("sam", "Sam Security", SECURITY_PASSWORD, Set.of(Role.SECURITY), Set.of()), "system:test");
        Instant now = Instant.now();
        FindingsTestData.seed(intake, FindingsTestData.CHECKOUT_API, "CVE-2026-0001", Severity.HIGH,
                now.minus(Duration.ofDays(40)), now.minus(Duration.ofDays(20)));
        FindingsTestData.seed(intake, FindingsTestData.CHECKOUT_API, "CVE-2026-0002", Severity.CRITICAL,
                now.minus(Duration.ofDays(10)), null);

        chromium = HeadlessChromium.start("1280,1000");
        browser = chromium.driver();
        wait = new WebDriverWait(browser, Duration.ofSeconds(15));
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterEach
    void stopBrowser() throws IOException {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void ownerAssignsAndRequestsAcceptanceSecurityApprovesAndTheFigureChanges() throws IOException {
        try {
            journey();
        } catch (RuntimeException | AssertionError e) {
            Files.write(SCREENSHOTS.resolve("failed.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
            Files.writeString(SCREENSHOTS.resolve("failed.html"), browser.getPageSource());
            throw new AssertionError("Journey failed at " + browser.getCurrentUrl() + ": " + e.getMessage() + "\n--- page text ---\n"
                    + browser.findElement(By.tagName("body")).getText(), e);
        }
    }

    private void journey() throws IOException {
        logIn("olivia", OWNER_PASSWORD, "/findings");
        assertThat(text("sla-compliance")).contains("50.0%").contains("1 of 2");
        screenshot("01-findings-before");

        // The owner's queue: the overdue finding first, with its countdown.
        browser.get(url("/my-services/queue"));
        WebElement table = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("findings")));
        assertThat(table.getText()).contains("CVE-2026-0002").contains("overdue by 3 days").doesNotContain("CVE-2026-0001");
        screenshot("02-queue");

        // Assign it to herself from the finding's page.
        table.findElement(By.linkText("CVE-2026-0002")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("assign-to-me"))).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("assignee"), "olivia"));

        // Ask for a risk acceptance (the form proposes an expiry 90 days ahead).
        browser.findElement(By.id("justification")).sendKeys("Mitigated by the WAF rule CHK-12 until the vendor ships 2.4");
        browser.findElement(By.id("request-risk-acceptance")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("pending-acceptance")));
        assertThat(text("pending-acceptance")).contains("Another SECURITY user must approve it.");
        screenshot("03-requested");
        browser.findElement(By.id("logout")).click();
        wait.until(d -> path(d).equals("/login"));

        // SECURITY approves it from the approvals queue.
        logIn("sam", SECURITY_PASSWORD, "/findings/approvals");
        WebElement pending = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("pending")));
        assertThat(pending.getText()).contains("CVE-2026-0002").contains("Mitigated by the WAF rule CHK-12");
        screenshot("04-approvals");
        pending.findElement(By.cssSelector("button[id^='approve-']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("main"), "approved."));
        assertThat(text("pending")).contains("No request is waiting.");

        // The figure changes: the accepted risk is no longer open past due.
        browser.get(url("/findings"));
        assertThat(text("sla-compliance")).contains("100.0%").contains("1 of 1");
        screenshot("05-findings-after");
        assertThat(new JdbcTemplate(dataSource).queryForObject(
                "select status from finding where rule_id = 'CVE-2026-0002'", String.class)).isEqualTo("risk_accepted");
    }

    private void logIn(String username, String password, String target) {
        browser.get(url(target));
        wait.until(d -> path(d).equals("/login"));
        WebElement name = wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("username")));
        name.sendKeys(username);
        browser.findElement(By.name("password")).sendKeys(password);
        name.findElement(By.xpath("./ancestor::form")).findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(d -> path(d).equals(target));
    }

    private String text(String id) {
        return wait.until(ExpectedConditions.presenceOfElementLocated(By.id(id))).getText();
    }

    private void screenshot(String name) throws IOException {
        Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private static String path(WebDriver driver) {
        return URI.create(driver.getCurrentUrl()).getPath();
    }
}

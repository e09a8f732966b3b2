package dev.assay;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chromium.ChromiumDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.assay.collect.CollectionLauncher;
import dev.assay.collect.JobExecutions;
import dev.assay.findings.FindingsIntake;
import dev.assay.journeys.HeadlessChromium;
import dev.assay.playbooks.Runbooks;
import dev.assay.security.ApiScope;
import dev.assay.security.Role;
import dev.assay.security.internal.ApiTokens;
import dev.assay.security.internal.NewUser;
import dev.assay.security.internal.UserAdministration;

/**
 * The {@link XssCorpus} in a real browser (headless Debian Chromium through Selenium): the corpus is
 * pushed over HTTP to the running Assay (ingest API with a Bearer token, the catalog collected, the
 * findings reported, the runbook created), then every page that shows it is opened and the browser
 * proves nothing ran.
 * <p>
 * Before any script of every document a recorder replaces {@code alert}/{@code confirm}/{@code prompt}
 * (each payload calls {@code alert('xss-N')}) and records CSP violations. Two passes over the pages:
 * <ol>
 * <li>with Assay's CSP in force: no payload ran, no script CSP violation was reported (one would
 * mean a payload reached the DOM as markup and only the CSP stopped it), and the DOM holds no inline
 * script, no {@code on*} attribute and no {@code javascript:} URL;</li>
 * <li>with the CSP bypassed (DevTools {@code Page.setBypassCSP}), so that escaping alone stands
 * between a payload and its execution: no payload ran, and following every link whose text carries a
 * payload (a {@code javascript:} one among them) or whose target is a {@code javascript:} URL runs
 * nothing either.</li>
 * </ol>
 * A control first proves the recorder sees the same payloads run when they are markup.
 * <p>
 * Full suite only ({@code -Dassay.included.test.groups=browser}); fails, never skips, without Chromium.
 */
@Tag("browser")
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:assay-xss-browser-${random.uuid};MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
        "spring.datasource.username=sa",
        "spring.datasource.password=",
        "assay.collect.collect-on-first-start=false",
        "assay.collect.schedules-enabled=false",
        "assay.findings.policy-checks-scheduled=false",
        "assay.metrics.scheduling-enabled=false",
        "assay.admin-password=xss-browser-admin-pass-1",
        "assay.sources-file=src/test/resources/sources/xss-sources.yml"
})
class XssCorpusBrowserTest {

    static final String READER_PASSWORD = "mallory-xss-browser-pass-1";
    static final Path SCREENSHOTS = Path.of("target", "screenshots", "xss");

    /** Installed before any script of every document (DevTools Page.addScriptToEvaluateOnNewDocument). */
    static final String RECORDER = """
            window.__xss = [];
            window.__csp = [];
            const record = m => { window.__xss.push(String(m)); };
            window.alert = record;
            window.confirm = record;
            window.prompt = record;
            document.addEventListener('securitypolicyviolation',
                e => window.__csp.push(e.effectiveDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));
            """;

    /** Markup that would run: inline scripts, on* attributes, javascript: URLs in links, frames, forms. */
    static final String LIVE_MARKUP = """
            const live = [];
            document.querySelectorAll('script:not([src])').forEach(s => live.push('inline script: ' + s.textContent.slice(0, 80)));
            document.querySelectorAll('*').forEach(e => {
              for (const a of e.attributes) {
                const v = a.value.trim().toLowerCase();
                if (a.name.toLowerCase().startsWith('on')) live.push(e.tagName + ' ' + a.name + '=' + a.value.slice(0, 80));
                if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'srcdoc'].includes(a.name.toLowerCase())
                    && (v.startsWith('javascript:') || a.name.toLowerCase() === 'srcdoc')) live.push(e.tagName + ' ' + a.name + '=' + a.value.slice(0, 80));
              }
            });
            return live;
            """;

    @LocalServerPort int port;
    @Autowired DataSource dataSource;
    @Autowired CollectionLauncher launcher;
    @Autowired JobExecutions executions;
    @Autowired FindingsIntake findings;
    @Autowired Runbooks runbooks;
    @Autowired ApiTokens tokens;
    @Autowired UserAdministration users;

    JdbcTemplate jdbc;
    HeadlessChromium chromium;
    WebDriver browser;
    WebDriverWait wait;

    @BeforeAll
    static void browserIsInstalled() {
        HeadlessChromium.requireInstalled();
    }

    @BeforeEach
    void corpusInAssayAndABrowser() throws Exception {
        new DatabaseCleaner(dataSource).cleanAllExcept("app_user", "user_role");
        jdbc = new JdbcTemplate(dataSource);
        String token = tokens.create("xss-ingest", EnumSet.of(ApiScope.INGEST), null, "system:test").secret();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        XssCorpus.inject((path, json) -> {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url(path)))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as("POST " + path + ": " + answer.body()).isEqualTo(202);
        }, jdbc, launcher, executions, findings, runbooks);
        users.create(new NewUser(XssCorpus.READER, "Mallory", READER_PASSWORD, Set.of(Role.ADMIN, Role.SECURITY), Set.of()),
                "system:test");

        chromium = HeadlessChromium.start("1280,1000");
        browser = chromium.driver();
        wait = new WebDriverWait(browser, Duration.ofSeconds(15));
        devTools("Page.enable", Map.of());
        devTools("Page.addScriptToEvaluateOnNewDocument", Map.of("source", RECORDER));
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterEach
    void stopBrowser() throws IOException {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void nothingInTheCorpusRunsOnAnyPageThatShowsIt() throws IOException {
        try {
            check();
        } catch (RuntimeException | AssertionError e) {
            Files.write(SCREENSHOTS.resolve("failed.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
            Files.writeString(SCREENSHOTS.resolve("failed.html"), browser.getPageSource());
            throw new AssertionError("Failed at " + browser.getCurrentUrl() + ": " + e.getMessage(), e);
        }
    }

    private void check() {
        // The control: the same payloads as markup do run, and the recorder sees them.
        browser.get("data:text/html," + encode(String.join(" ", XssCorpus.PAYLOADS)));
        browser.findElement(By.linkText("click")).click();
        assertThat(recorded()).containsExactlyInAnyOrder("xss-1", "xss-2", "xss-3", "xss-4", "xss-5");

        List<String> pages = XssCorpus.pages(jdbc);
        logIn();
        List<String> failures = new ArrayList<>();
        List<String> notShowing = new ArrayList<>();
        int shownAsText = 0;

        // 1. With Assay's CSP in force.
        for (String page : pages) {
            open(page);
            failures.addAll(ran(page));
            for (String violation : cspViolations()) {
                if (violation.startsWith("script-src")) {
                    failures.add(page + ": the CSP stopped a script, so a payload reached the DOM: " + violation);
                }
            }
            for (String live : liveMarkup()) {
                failures.add(page + ": live markup: " + live);
            }
            int shown = browser.findElement(By.tagName("body")).getText().split("alert\\('xss-", -1).length - 1;
            shownAsText += shown;
            if (shown == 0) {
                notShowing.add(page);
            }
        }

        // 2. With the CSP bypassed: escaping alone must keep every payload inert, links included.
        devTools("Page.setBypassCSP", Map.of("enabled", true));
        List<String> clicked = new ArrayList<>();
        for (String page : pages) {
            open(page);
            failures.addAll(ran(page));
            int links = linksCarryingPayloads().size();
            for (int i = 0; i < links; i++) {
                open(page);
                List<WebElement> now = linksCarryingPayloads();
                assertThat(now).as(page + " links").hasSize(links);
                WebElement link = now.get(i);
                String text = link.getText();
                ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'})", link);
                link.click();
                clicked.add(page + " → " + text);
                failures.addAll(ran(page + " after clicking the link '" + text + "' (now at " + browser.getCurrentUrl() + ")"));
            }
        }

        assertThat(failures).isEmpty();
        assertThat(pages).hasSize(24);
        // the payloads were on the pages, as text: all but the executive report and the users page show some
        assertThat(notShowing).containsExactly("/reports/executive", "/admin/users");
        assertThat(shownAsText).as("payloads shown as text on the 24 pages").isEqualTo(107);
        // every link whose text carries a payload was followed: the team's and the runbook's titles, the
        // findings' ids, one of them a javascript: link
        String script = XssCorpus.PAYLOADS.get(0);
        String javascript = XssCorpus.PAYLOADS.get(2);
        assertThat(clicked).containsExactly("/ → " + script, "/teams → " + script, "/findings → CVE-" + script,
                "/findings → " + javascript, "/my-services/queue → CVE-" + script, "/my-services/queue → " + javascript,
                "/runbooks → " + script);
    }

    /** What ran on the current document: recorded alerts and any native dialog. */
    private List<String> ran(String where) {
        List<String> ran = new ArrayList<>();
        try {
            String text = browser.switchTo().alert().getText();
            browser.switchTo().alert().accept();
            ran.add(where + ": a dialog opened: " + text);
        } catch (NoAlertPresentException expected) {
            // nothing opened
        }
        for (String marker : recorded()) {
            ran.add(where + ": payload ran: alert('" + marker + "')");
        }
        return ran;
    }

    @SuppressWarnings("unchecked")
    private List<String> recorded() {
        Object markers = ((JavascriptExecutor) browser).executeScript("return window.__xss || ['(no recorder on this page)']");
        return (List<String>) markers;
    }

    @SuppressWarnings("unchecked")
    private List<String> cspViolations() {
        return (List<String>) ((JavascriptExecutor) browser).executeScript("return window.__csp || []");
    }

    @SuppressWarnings("unchecked")
    private List<String> liveMarkup() {
        return (List<String>) ((JavascriptExecutor) browser).executeScript(LIVE_MARKUP);
    }

    /** Visible links whose text carries a payload, or whose target is a javascript: URL. */
    private List<WebElement> linksCarryingPayloads() {
        return browser.findElements(By.tagName("a")).stream().filter(a -> {
            String href = a.getDomAttribute("href");
            return href != null && href.strip().toLowerCase().startsWith("javascript:") || a.getText().contains("alert('xss-");
        }).filter(WebElement::isDisplayed).toList();
    }

    private void open(String page) {
        browser.get(url(page));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("main")));
        assertThat(URI.create(browser.getCurrentUrl()).getPath()).as(page).isEqualTo(URI.create(page).getPath());
    }

    private void logIn() {
        browser.get(url("/teams"));
        wait.until(d -> URI.create(d.getCurrentUrl()).getPath().equals("/login"));
        WebElement name = wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("username")));
        name.sendKeys(XssCorpus.READER);
        browser.findElement(By.name("password")).sendKeys(READER_PASSWORD);
        name.findElement(By.xpath("./ancestor::form")).findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(d -> URI.create(d.getCurrentUrl()).getPath().equals("/teams"));
    }

    private void devTools(String command, Map<String, Object> parameters) {
        ((ChromiumDriver) browser).executeCdpCommand(command, parameters);
    }

    private static String encode(String html) {
        return URLEncoder.encode(html, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }
}

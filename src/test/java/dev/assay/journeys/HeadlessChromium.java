package dev.assay.journeys;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven through its chromium-driver, as the browser journeys use it: a
 * fresh profile per start, no background networking (the machine's network is closed), never
 * Selenium Manager. {@link #close()} quits the browser, stops the driver and deletes the profile.
 * A journey fails, never skips, when the packages are missing.
 */
public final class HeadlessChromium implements AutoCloseable {

    public static final String CHROMIUM = "/usr/bin/chromium";
    public static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private final Path profileDir;
    private final ChromeDriverService service;
    private final WebDriver driver;

    private HeadlessChromium(Path profileDir, ChromeDriverService service, WebDriver driver) {
        this.profileDir = profileDir;
        this.service = service;
        this.driver = driver;
    }

    /** Fails the test class when Chromium or its driver is not installed. */
    public static void requireInstalled() {
        assertThat(new File(CHROMIUM)).as("Debian's chromium at " + CHROMIUM + " (apt-get install chromium)").canRead();
        assertThat(new File(CHROMIUM).canExecute()).as(CHROMIUM + " is executable").isTrue();
        assertThat(new File(CHROMEDRIVER).canExecute())
                .as("Debian's chromium-driver at " + CHROMEDRIVER + " (apt-get install chromium-driver)").isTrue();
        // Never let Selenium Manager look for (or download) a driver or a browser.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
    }

    /** @param windowSize e.g. {@code 1280,1000} (a desktop) or {@code 412,915} (a phone) */
    public static HeadlessChromium start(String windowSize) throws IOException {
        Path profileDir = Files.createTempDirectory("assay-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=" + windowSize, "--user-data-dir=" + profileDir);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort().build();
        return new HeadlessChromium(profileDir, service, new ChromeDriver(service, options));
    }

    public WebDriver driver() {
        return driver;
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            service.stop();
            try (Stream<Path> files = Files.walk(profileDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}

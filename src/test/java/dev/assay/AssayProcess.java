package dev.assay;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

/**
 * Assay as a real child process (tests tagged {@code process}): the application's main class on the
 * test JVM's classpath without the test classes, bound to 127.0.0.1 on a given port, its standard
 * output and error appended to a log file. {@link #start} returns once {@code /actuator/health}
 * answers 200, and fails with the log when the process exits or does not come up in time.
 */
public final class AssayProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(300);

    private final Process process;
    private final int port;
    private final Path log;

    private AssayProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts Assay and waits until it is healthy.
     *
     * @param log         the file its output is appended to
     * @param environment environment variables added to the test JVM's (ASSAY_DATA_DIR, ASSAY_ADMIN_TOKEN, ...)
     * @param arguments   further command-line arguments ({@code --name=value})
     */
    public static AssayProcess start(Path log, int port, Map<String, String> environment, List<String> arguments)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx512m", "-cp", applicationClasspath(),
                "dev.assay.AssayApplication", "--server.port=" + port, "--server.address=127.0.0.1"));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        AssayProcess assay = new AssayProcess(builder.start(), port, log);
        assay.awaitHealthy();
        return assay;
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>} */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public Path log() {
        return log;
    }

    public String logText() throws IOException {
        return Files.readString(log);
    }

    /** SIGKILL, as a crash would: returns the exit value (137). */
    public int kill() throws InterruptedException {
        return process.destroyForcibly().waitFor();
    }

    /** SIGTERM, as an operator stops it: Spring shuts down and the database is closed. Returns the exit value. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new AssertionError("Assay did not stop within 60 s of SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void awaitHealthy() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("Assay exited (" + process.exitValue() + "): " + logText());
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(500);
        }
        close();
        throw new AssertionError("Assay did not start in " + START_TIMEOUT.toSeconds() + " s: " + logText());
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** The test JVM's classpath (unpacked from Surefire's manifest-only jar) without the test classes. */
    private static String applicationClasspath() throws IOException {
        List<String> entries = new ArrayList<>(Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator)));
        if (entries.size() == 1 && entries.get(0).contains("surefirebooter")) {
            try (JarFile booter = new JarFile(entries.get(0))) {
                String manifestPath = booter.getManifest().getMainAttributes().getValue("Class-Path");
                entries = Arrays.stream(manifestPath.split(" ")).filter(s -> !s.isBlank())
                        .map(url -> Path.of(URI.create(url.startsWith("file:") ? url : "file:" + url)).toString()).toList();
            }
        }
        return entries.stream().filter(e -> !e.contains("test-classes")).collect(Collectors.joining(File.pathSeparator));
    }
}

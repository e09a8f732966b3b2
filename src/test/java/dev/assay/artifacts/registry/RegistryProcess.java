package dev.assay.artifacts.registry;

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
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code docker-registry} (distribution 2.8) on loopback with its storage in a temporary
 * folder, optionally behind {@code auth.htpasswd}. It has no referrers API, so collecting from it
 * exercises the cosign tag scheme. When the binary is missing the test fails (it must not skip):
 * {@code apt-get install -y docker-registry}.
 */
public final class RegistryProcess implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/bin/docker-registry");

    private final Process process;
    private final int port;

    private RegistryProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** @param htpasswd an htpasswd file's content, or null for an open registry */
    public static RegistryProcess start(Path folder, String htpasswd) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: install Debian's docker-registry (apt-get install -y docker-registry)"
                    + " to run the registry tests");
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path storage = Files.createDirectories(folder.resolve("storage"));
        StringBuilder config = new StringBuilder("version: 0.1\nlog:\n  level: warn\n  accesslog:\n    disabled: true\n"
                + "storage:\n  filesystem:\n    rootdirectory: " + storage + "\n  delete:\n    enabled: true\n"
                + "http:\n  addr: 127.0.0.1:" + port + "\n");
        if (htpasswd != null) {
            Path file = folder.resolve("htpasswd");
            Files.writeString(file, htpasswd);
            config.append("auth:\n  htpasswd:\n    realm: assay-test\n    path: ").append(file).append('\n');
        }
        Path configFile = folder.resolve("config.yml");
        Files.writeString(configFile, config);
        Process process = new ProcessBuilder(BINARY.toString(), "serve", configFile.toString())
                .redirectErrorStream(true).redirectOutput(folder.resolve("registry.log").toFile()).start();
        RegistryProcess registry = new RegistryProcess(process, port);
        registry.awaitReady(folder);
        return registry;
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** {@code 127.0.0.1:<port>}: how the catalog names this registry's repositories. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    private void awaitReady(Path folder) throws InterruptedException, IOException {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("docker-registry exited: " + Files.readString(folder.resolve("registry.log")));
            }
            try {
                int status = http.send(HttpRequest.newBuilder(uri().resolve("/v2/")).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode();
                if (status == 200 || status == 401) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("docker-registry did not answer on " + uri() + " within 20 s");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}

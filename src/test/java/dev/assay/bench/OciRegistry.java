package dev.assay.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A loopback OCI distribution registry holding one repository {@code bench/<service>} for every
 * {@link #EVERY}th generated service, each with {@link #VERSIONS} image versions tagged
 * {@code 1.0.<n>} and {@code latest} on the newest. It serves what the {@code oci-registry} collector
 * calls: {@code GET /v2/}, {@code GET /v2/<name>/tags/list} ({@code n}, paged by {@code Link}),
 * {@code HEAD}/{@code GET /v2/<name>/manifests/<tag|digest>} (an OCI image manifest,
 * {@code Docker-Content-Digest}), {@code GET /v2/<name>/referrers/<digest>} (the OCI 1.1 referrers
 * API: an empty image index, no evidence attached) and {@code GET /v2/<name>/blobs/<digest>} (the
 * image config with its {@code created}). Manifests and configs are rendered on request from the
 * repository and version; every digest is the sha256 of the exact bytes served. It counts requests.
 */
final class OciRegistry implements AutoCloseable {

    static final int EVERY = 5;
    static final int VERSIONS = 3;
    static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String INDEX = "application/vnd.oci.image.index.v1+json";
    static final String CONFIG = "application/vnd.oci.image.config.v1+json";
    static final String LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";

    /** One image version of a repository: its config and manifest, as served. */
    record Image(String tag, byte[] config, String configDigest, byte[] manifest, String digest) {
    }

    private final HttpServer server;
    private final Map<String, Instant> repositories;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong manifestRequests = new AtomicLong();

    private OciRegistry(HttpServer server, Map<String, Instant> repositories) {
        this.server = server;
        this.repositories = repositories;
    }

    static OciRegistry start(Organisation org) {
        Map<String, Instant> repositories = new LinkedHashMap<>();
        for (int s = 0; s < org.services().size(); s += EVERY * org.size().sampleEvery()) {
            repositories.put("bench/" + org.services().get(s).name(), org.now().minusSeconds(86_400L * (1 + s % 30)));
        }
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            OciRegistry registry = new OciRegistry(server, repositories);
            server.createContext("/v2/", registry::handle);
            server.start();
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** {@code 127.0.0.1:<port>}: the host part of the repositories Assay stores. */
    String host() {
        return "127.0.0.1:" + port();
    }

    List<String> repositories() {
        return List.copyOf(repositories.keySet());
    }

    int images() {
        return repositories.size() * VERSIONS;
    }

    int tags() {
        return repositories.size() * (VERSIONS + 1);
    }

    long requests() {
        return requests.get();
    }

    long manifestRequests() {
        return manifestRequests.get();
    }

    void resetCounts() {
        requests.set(0);
        manifestRequests.set(0);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** The versions of a repository, oldest first, one day apart up to its newest. */
    static List<Image> images(String name, Instant newest) {
        List<Image> images = new ArrayList<>();
        for (int v = 1; v <= VERSIONS; v++) {
            Instant created = newest.minusSeconds(86_400L * (VERSIONS - v));
            byte[] config = """
                    {"architecture":"amd64","os":"linux","created":"%1$s","author":"bench",\
                    "config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],\
                    "Entrypoint":["/app/%2$s"],"Labels":{"org.opencontainers.image.version":"1.0.%3$d"}},\
                    "rootfs":{"type":"layers","diff_ids":["%4$s","%5$s"]},\
                    "history":[{"created":"%1$s","created_by":"COPY app /app"}]}"""
                    .formatted(created, name.substring(name.lastIndexOf('/') + 1), v, digest("diff:base"),
                            digest("diff:" + name + ":" + v)).getBytes(StandardCharsets.UTF_8);
            String configDigest = digest(config);
            byte[] manifest = """
                    {"schemaVersion":2,"mediaType":"%1$s","config":{"mediaType":"%2$s","digest":"%3$s","size":%4$d},\
                    "layers":[{"mediaType":"%5$s","digest":"%6$s","size":29126484},\
                    {"mediaType":"%5$s","digest":"%7$s","size":%8$d}],\
                    "annotations":{"org.opencontainers.image.created":"%9$s","org.opencontainers.image.version":"1.0.%10$d",\
                    "org.opencontainers.image.source":"https://github.com/%11$s"}}"""
                    .formatted(MANIFEST, CONFIG, configDigest, config.length, LAYER, digest("layer:base"),
                            digest("layer:" + name + ":" + v), 1_000_000 + name.length() * 1000 + v, created, v, name)
                    .getBytes(StandardCharsets.UTF_8);
            images.add(new Image("1.0." + v, config, configDigest, manifest, digest(manifest)));
        }
        return images;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            String path = exchange.getRequestURI().getPath().substring("/v2/".length());
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            if (path.isEmpty()) {
                respond(exchange, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8), null, head);
                return;
            }
            String name = null;
            String kind = null;
            String reference = null;
            for (String candidate : new String[] {"/tags/list", "/manifests/", "/referrers/", "/blobs/"}) {
                int at = path.indexOf(candidate);
                if (at > 0) {
                    name = path.substring(0, at);
                    kind = candidate;
                    reference = path.substring(at + candidate.length());
                    break;
                }
            }
            Instant newest = name == null ? null : repositories.get(name);
            if (newest == null) {
                error(exchange, "NAME_UNKNOWN", "repository name not known to registry", head);
                return;
            }
            List<Image> images = images(name, newest);
            String ref = reference;
            switch (kind) {
                case "/tags/list" -> {
                    StringBuilder tags = new StringBuilder();
                    images.forEach(i -> tags.append('"').append(i.tag()).append("\","));
                    respond(exchange, 200, "application/json", ("{\"name\":\"" + name + "\",\"tags\":[" + tags + "\"latest\"]}")
                            .getBytes(StandardCharsets.UTF_8), null, head);
                }
                case "/manifests/" -> {
                    manifestRequests.incrementAndGet();
                    Image image = "latest".equals(ref) ? images.get(images.size() - 1) : images.stream()
                            .filter(i -> i.tag().equals(ref) || i.digest().equals(ref)).findFirst().orElse(null);
                    if (image == null) {
                        error(exchange, "MANIFEST_UNKNOWN", "manifest unknown", head);
                    } else {
                        respond(exchange, 200, MANIFEST, image.manifest(), image.digest(), head);
                    }
                }
                case "/referrers/" -> {
                    if (images.stream().noneMatch(i -> i.digest().equals(ref))) {
                        error(exchange, "MANIFEST_UNKNOWN", "manifest unknown", head);
                    } else {
                        respond(exchange, 200, INDEX, ("{\"schemaVersion\":2,\"mediaType\":\"" + INDEX + "\",\"manifests\":[]}")
                                .getBytes(StandardCharsets.UTF_8), null, head);
                    }
                }
                default -> {
                    Image image = images.stream().filter(i -> i.configDigest().equals(ref)).findFirst().orElse(null);
                    if (image == null) {
                        error(exchange, "BLOB_UNKNOWN", "blob unknown to registry", head);
                    } else {
                        respond(exchange, 200, "application/octet-stream", image.config(), image.configDigest(), head);
                    }
                }
            }
        }
    }

    private static void error(HttpExchange exchange, String code, String message, boolean head) throws IOException {
        respond(exchange, 404, "application/json", ("{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"" + message
                + "\",\"detail\":null}]}").getBytes(StandardCharsets.UTF_8), null, head);
    }

    private static void respond(HttpExchange exchange, int status, String contentType, byte[] body, String digest, boolean head)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Docker-Distribution-Api-Version", "registry/2.0");
        if (digest != null) {
            exchange.getResponseHeaders().set("Docker-Content-Digest", digest);
        }
        if (head) {
            exchange.getResponseHeaders().set("Content-Length", String.valueOf(body.length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    static String digest(String text) {
        return digest(text.getBytes(StandardCharsets.UTF_8));
    }

    static String digest(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

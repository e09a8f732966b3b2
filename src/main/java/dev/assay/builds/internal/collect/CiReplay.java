package dev.assay.builds.internal.collect;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.stereotype.Component;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.assay.collect.SourceDefinition;

/**
 * Serves recorded CI API answers on a loopback port, for the demo: a source whose {@code base-url}
 * is {@code replay:demo/ci/github} is collected by the real job, through the real HTTP client,
 * paging and mapping, from files in the real formats. {@code GET /a/b/c?query} answers the file
 * {@code <folder>/a/b/c.json} (the path URL-decoded, so GitLab's {@code acme%2Fwarehouse-loader} is
 * the folder {@code acme/warehouse-loader}; the query is not evaluated), and 404 when there is none.
 * It is a fake upstream and says so in the log.
 */
@Component
public class CiReplay implements DisposableBean {

    public static final String SCHEME = "replay:";
    private static final Logger log = LoggerFactory.getLogger(CiReplay.class);
    private static final Pattern SAFE_SEGMENT = Pattern.compile("[A-Za-z0-9_.%-]{1,200}");

    private final ResourceLoader resources;
    private final Map<String, Running> running = new HashMap<>();

    CiReplay(ResourceLoader resources) {
        this.resources = resources;
    }

    private record Running(HttpServer server, ExecutorService executor, URI uri) {
    }

    public static boolean isReplay(SourceDefinition source) {
        return source.baseUrl() != null && source.baseUrl().startsWith(SCHEME);
    }

    /** The source as the collector talks to it: a replayed source gets its loopback base URL. */
    public SourceDefinition effective(SourceDefinition source) {
        if (!isReplay(source)) {
            return source;
        }
        URI served = serve(source, source.baseUrl().substring(SCHEME.length()));
        return new SourceDefinition(source.id(), source.type(), served.toString(), source.tokenEnv(), source.schedule(),
                source.options(), source.baseLocation());
    }

    private synchronized URI serve(SourceDefinition source, String folder) {
        String location = folder.startsWith("/") ? "file:" + folder : source.baseLocation() + folder;
        if (!location.endsWith("/")) {
            location += "/";
        }
        String key = source.id() + "|" + location;
        Running existing = running.get(key);
        if (existing != null) {
            return existing.uri();
        }
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
                Thread thread = new Thread(runnable, "ci-replay-" + source.id());
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(executor);
            String root = location;
            server.createContext("/", exchange -> handle(root, exchange));
            server.start();
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            running.put(key, new Running(server, executor, uri));
            log.info("Source {} replays the recorded {} answers in {} at {} (a demo upstream, not the real service)",
                    source.id(), source.type(), location, uri);
            return uri;
        } catch (IOException e) {
            throw new IllegalStateException("Source '" + source.id() + "': cannot open a loopback port for its replay", e);
        }
    }

    private void handle(String root, HttpExchange exchange) throws IOException {
        try (exchange) {
            Resource file = file(root, exchange.getRequestURI().getRawPath());
            if (!"GET".equals(exchange.getRequestMethod()) || file == null || !file.exists()) {
                send(exchange, 404, "{\"message\": \"Not Found\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            try (InputStream in = file.getInputStream()) {
                send(exchange, 200, in.readAllBytes());
            }
        }
    }

    /** The file of a request path, or null for a path with a segment that is not a plain name. */
    private Resource file(String root, String rawPath) throws IOException {
        StringBuilder relative = new StringBuilder();
        for (String segment : rawPath.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            if (!SAFE_SEGMENT.matcher(segment).matches()) {
                return null;
            }
            for (String part : URLDecoder.decode(segment, StandardCharsets.UTF_8).split("/")) {
                if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                    return null;
                }
                relative.append(relative.isEmpty() ? "" : "/").append(part);
            }
        }
        return relative.isEmpty() ? null : resources.getResource(root + relative + ".json");
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public synchronized void destroy() {
        running.values().forEach(r -> {
            r.server().stop(0);
            r.executor().shutdownNow();
        });
        running.clear();
    }
}

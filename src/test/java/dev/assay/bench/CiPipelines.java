package dev.assay.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * GitHub Actions workflow runs of the generated services ({@link #RUNS_PER_SERVICE} per service, in
 * the repository {@code bench/<service>} that the catalog's {@code github.com/project-slug} names),
 * generated from the seed, and a loopback GitHub serving them as the REST API does:
 * {@code GET /repos/{owner}/{repo}/actions/runs} with {@code per_page}, {@code page},
 * {@code created=>=<time>}, newest first, paged by the {@code Link} header ({@code rel="next"}),
 * with an {@code ETag} on every answer and 304 to a matching {@code If-None-Match}. The run objects
 * have the fields of GitHub's "list workflow runs" answer (fixtures/ci/github-actions-list-workflow-runs…).
 * It counts the requests it answers.
 */
final class CiPipelines implements AutoCloseable {

    static final String PATH = "/gh";
    static final int RUNS_PER_SERVICE = 10;
    /** Runs are created over this many days before now (the source's lookback is 30 days). */
    static final int HISTORY_DAYS = 20;

    /** One generated workflow run. */
    record Run(long id, int number, String repository, String service, Instant created, long queuedSeconds,
            long durationSeconds, boolean success, String sha) {

        Instant started() {
            return created.plusSeconds(queuedSeconds);
        }

        Instant finished() {
            return started().plusSeconds(durationSeconds);
        }
    }

    private final HttpServer server;
    private final Map<String, List<Run>> byRepository;
    private final int runs;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong notModified = new AtomicLong();

    private CiPipelines(HttpServer server, Map<String, List<Run>> byRepository, int runs) {
        this.server = server;
        this.byRepository = byRepository;
        this.runs = runs;
    }

    /** Generates the runs (from the seed, apart from the organisation's own random sequence) and serves them. */
    static CiPipelines start(Organisation org, long seed) {
        Map<String, List<Run>> byRepository = generate(org, new Random(seed * 31 + 17), "bench", 9_000_000_000L, 1);
        int count = byRepository.values().stream().mapToInt(List::size).sum();
        System.setProperty("sun.net.httpserver.nodelay", "true");
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            CiPipelines upstream = new CiPipelines(server, byRepository, count);
            server.createContext(PATH + "/repos/", upstream::handle);
            server.start();
            return upstream;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@link #RUNS_PER_SERVICE} completed runs per service (every {@code every}th service) in the
     * repository {@code <owner>/<service>},
     * created over the last {@link #HISTORY_DAYS} days, newest first and numbered oldest first (GitHub's
     * run numbers, GitLab's {@code iid}), ids counting up from {@code firstId}. Shared by the GitHub and
     * the GitLab upstream, each with its own random sequence.
     */
    static Map<String, List<Run>> generate(Organisation org, Random random, String owner, long firstId, int every) {
        Map<String, List<Run>> byRepository = new HashMap<>();
        long id = firstId;
        for (int s = 0; s < org.services().size(); s += every) {
            Organisation.Service service = org.services().get(s);
            String repository = owner + "/" + service.name();
            List<Run> list = new ArrayList<>();
            for (int n = 0; n < RUNS_PER_SERVICE; n++) {
                Instant created = org.now().minusSeconds(3_600L + random.nextInt(HISTORY_DAYS * 24 * 3_600));
                list.add(new Run(++id, 0, repository, service.name(), created, 5 + random.nextInt(60),
                        120 + random.nextInt(900), random.nextInt(10) > 0, String.format("%040x", random.nextLong() & Long.MAX_VALUE)));
            }
            list.sort((a, b) -> b.created().compareTo(a.created()));
            List<Run> numbered = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                Run r = list.get(i);
                numbered.add(new Run(r.id(), list.size() - i, r.repository(), r.service(), r.created(), r.queuedSeconds(),
                        r.durationSeconds(), r.success(), r.sha()));
            }
            byRepository.put(repository, List.copyOf(numbered));
        }
        return byRepository;
    }

    int port() {
        return server.getAddress().getPort();
    }

    int runs() {
        return runs;
    }

    List<String> repositories() {
        return byRepository.keySet().stream().sorted().toList();
    }

    long requests() {
        return requests.get();
    }

    long notModified() {
        return notModified.get();
    }

    void resetCounts() {
        requests.set(0);
        notModified.set(0);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            String path = exchange.getRequestURI().getPath();
            String rest = path.substring((PATH + "/repos/").length());
            if (!rest.endsWith("/actions/runs")) {
                respond(exchange, 404, "{\"message\":\"Not Found\"}", Map.of());
                return;
            }
            List<Run> list = byRepository.get(rest.substring(0, rest.length() - "/actions/runs".length()));
            if (list == null) {
                respond(exchange, 404, "{\"message\":\"Not Found\"}", Map.of());
                return;
            }
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            int perPage = Math.min(100, Integer.parseInt(query.getOrDefault("per_page", "30")));
            int page = Integer.parseInt(query.getOrDefault("page", "1"));
            String created = query.getOrDefault("created", "");
            Instant since = created.startsWith(">=") ? Instant.parse(created.substring(2)) : Instant.EPOCH;
            List<Run> matching = list.stream().filter(r -> !r.created().isBefore(since)).toList();
            int from = Math.min(matching.size(), (page - 1) * perPage);
            int to = Math.min(matching.size(), from + perPage);
            StringBuilder body = new StringBuilder("{\"total_count\": ").append(matching.size()).append(", \"workflow_runs\": [");
            for (int i = from; i < to; i++) {
                if (i > from) {
                    body.append(',');
                }
                body.append(json(matching.get(i)));
            }
            body.append("]}");
            String etag = "W/\"" + Integer.toHexString(body.toString().hashCode()) + "\"";
            Map<String, String> headers = new HashMap<>();
            headers.put("ETag", etag);
            if (to < matching.size()) {
                String base = "http://127.0.0.1:" + port() + path + "?per_page=" + perPage + "&created="
                        + encodeCreated(created);
                headers.put("Link", "<" + base + "&page=" + (page + 1) + ">; rel=\"next\", <" + base + "&page="
                        + ((matching.size() + perPage - 1) / perPage) + ">; rel=\"last\"");
            }
            if (etag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
                notModified.incrementAndGet();
                respond(exchange, 304, null, headers);
                return;
            }
            respond(exchange, 200, body.toString(), headers);
        }
    }

    private static String encodeCreated(String created) {
        return java.net.URLEncoder.encode(created, StandardCharsets.UTF_8);
    }

    static String json(Run run) {
        String owner = "bench";
        String name = run.service();
        return """
                {"id": %1$d, "name": "Build", "node_id": "WFR_bench%1$d", "check_suite_id": %1$d,
                 "head_branch": "main", "head_sha": "%2$s", "path": ".github/workflows/build.yml",
                 "display_title": "Build %4$s", "run_number": %3$d, "event": "push", "status": "completed",
                 "conclusion": "%5$s", "workflow_id": 159038,
                 "url": "https://api.github.com/repos/%6$s/%4$s/actions/runs/%1$d",
                 "html_url": "https://github.com/%6$s/%4$s/actions/runs/%1$d", "pull_requests": [],
                 "created_at": "%7$s", "updated_at": "%8$s", "run_attempt": 1, "run_started_at": "%9$s",
                 "actor": {"login": "dev-%4$s", "id": 1, "type": "User"},
                 "triggering_actor": {"login": "dev-%4$s", "id": 1, "type": "User"},
                 "jobs_url": "https://api.github.com/repos/%6$s/%4$s/actions/runs/%1$d/jobs",
                 "head_commit": {"id": "%2$s", "message": "Change of %4$s", "timestamp": "%7$s",
                   "author": {"name": "Dev", "email": "dev@bench.example"}},
                 "repository": {"id": 1, "name": "%4$s", "full_name": "%6$s/%4$s", "private": true},
                 "head_repository": {"id": 1, "name": "%4$s", "full_name": "%6$s/%4$s", "private": true}}"""
                .formatted(run.id(), run.sha(), run.number(), name, run.success() ? "success" : "failure", owner,
                        run.created(), run.finished(), run.started());
    }

    static void respond(HttpExchange exchange, int status, String body, Map<String, String> headers)
            throws IOException {
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        if (body == null) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static Map<String, String> query(String raw) {
        Map<String, String> values = new HashMap<>();
        if (raw == null) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.putIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }
}

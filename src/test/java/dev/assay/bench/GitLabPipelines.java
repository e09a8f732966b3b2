package dev.assay.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * GitLab CI pipelines of the generated services ({@link CiPipelines#RUNS_PER_SERVICE} per service,
 * generated like the GitHub runs but with their own random sequence, in the project
 * {@code bench-gitlab/<service>} that the catalog's {@code gitlab.com/project-slug} names) and a
 * loopback GitLab REST API v4 serving what the {@code gitlab-ci} collector reads:
 * <ul>
 * <li>{@code GET /api/v4/projects/:id/pipelines} ({@code :id} the URL-encoded path or the numeric
 * id) with {@code updated_after} (inclusive), {@code order_by=updated_at|id}, {@code sort},
 * {@code per_page} (at most 100), {@code page}; offset paging headers {@code X-Page},
 * {@code X-Per-Page}, {@code X-Next-Page} (empty on the last page), {@code X-Prev-Page},
 * {@code X-Total}, {@code X-Total-Pages} and {@code Link}; an {@code ETag} on every answer and 304
 * to a matching {@code If-None-Match}. The items have the fields of GitLab's list answer
 * (fixtures/ci/gitlab-list-project-pipelines…): no start, finish or duration;</li>
 * <li>{@code GET /api/v4/projects/:id/pipelines/:pipeline_id}: the single pipeline
 * (fixtures/ci/gitlab-get-single-pipeline…) with {@code started_at}, {@code finished_at},
 * {@code duration}, {@code queued_duration}, {@code user}, {@code detailed_status}.</li>
 * </ul>
 * Answers are rendered on request from the runs. It counts the requests it answers, list and detail apart.
 */
final class GitLabPipelines implements AutoCloseable {

    static final String PATH = "/gl";
    static final String GROUP = "bench-gitlab";
    private static final String API = PATH + "/api/v4/projects/";
    private static final String WEB = "https://gitlab.bench.example/";

    private final HttpServer server;
    private final Map<String, List<CiPipelines.Run>> byProject;
    private final Map<String, String> pathsById = new HashMap<>();
    private final Map<String, Long> idsByPath = new HashMap<>();
    private final int runs;
    private final AtomicLong listRequests = new AtomicLong();
    private final AtomicLong detailRequests = new AtomicLong();
    private final AtomicLong notModified = new AtomicLong();

    private GitLabPipelines(HttpServer server, Map<String, List<CiPipelines.Run>> byProject) {
        this.server = server;
        this.byProject = byProject;
        this.runs = byProject.values().stream().mapToInt(List::size).sum();
        long id = 5_000;
        for (String project : projects()) {
            idsByPath.put(project, ++id);
            pathsById.put(String.valueOf(id), project);
        }
    }

    /** Generates the pipelines (from the seed, apart from the organisation's and GitHub's sequences) and serves them. */
    static GitLabPipelines start(Organisation org, long seed) {
        Map<String, List<CiPipelines.Run>> byProject = CiPipelines.generate(org, new Random(seed * 31 + 29), GROUP,
                700_000_000L, org.size().sampleEvery());
        System.setProperty("sun.net.httpserver.nodelay", "true");
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            GitLabPipelines upstream = new GitLabPipelines(server, byProject);
            server.createContext(API, upstream::handle);
            server.start();
            return upstream;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    int pipelines() {
        return runs;
    }

    List<String> projects() {
        return byProject.keySet().stream().sorted().toList();
    }

    long requests() {
        return listRequests.get() + detailRequests.get();
    }

    long listRequests() {
        return listRequests.get();
    }

    long detailRequests() {
        return detailRequests.get();
    }

    long notModified() {
        return notModified.get();
    }

    void resetCounts() {
        listRequests.set(0);
        detailRequests.set(0);
        notModified.set(0);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** GitLab sets {@code updated_at} when a pipeline finishes: a few milliseconds after {@code finished_at}. */
    static Instant updated(CiPipelines.Run run) {
        return run.finished().plusMillis(run.id() % 500 + 1);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String rest = exchange.getRequestURI().getRawPath().substring(API.length());
            String[] parts = rest.split("/");
            String project = parts.length < 2 ? null : URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
            project = pathsById.getOrDefault(project, project);
            List<CiPipelines.Run> list = project == null || !parts[1].equals("pipelines") ? null : byProject.get(project);
            if (list == null || parts.length > 3) {
                listRequests.incrementAndGet();
                CiPipelines.respond(exchange, 404, "{\"message\":\"404 Project Not Found\"}", Map.of());
            } else if (parts.length == 3) {
                detailRequests.incrementAndGet();
                detail(exchange, project, list, parts[2]);
            } else {
                listRequests.incrementAndGet();
                list(exchange, project, list);
            }
        }
    }

    private void detail(HttpExchange exchange, String project, List<CiPipelines.Run> list, String id) throws IOException {
        CiPipelines.Run run = list.stream().filter(r -> String.valueOf(r.id()).equals(id)).findFirst().orElse(null);
        if (run == null) {
            CiPipelines.respond(exchange, 404, "{\"message\":\"404 Not found\"}", Map.of());
            return;
        }
        String body = """
                {"id": %1$d, "iid": %2$d, "project_id": %3$d, "name": "Build pipeline", "sha": "%4$s", "ref": "main",
                 "status": "%5$s", "source": "push", "created_at": "%6$s", "updated_at": "%7$s",
                 "web_url": "%8$s%9$s/-/pipelines/%1$d", "before_sha": "0000000000000000000000000000000000000000",
                 "tag": false, "yaml_errors": null,
                 "user": {"id": 1, "username": "dev-%10$s", "name": "Dev", "state": "active",
                   "avatar_url": null, "web_url": "%8$sdev-%10$s"},
                 "started_at": "%11$s", "finished_at": "%12$s", "committed_at": null, "duration": %13$d,
                 "queued_duration": %14$d, "coverage": null,
                 "detailed_status": {"icon": "status_%5$s", "text": "%15$s", "label": "%15$s", "group": "%5$s",
                   "tooltip": "%15$s", "has_details": false, "details_path": "/%9$s/-/pipelines/%1$d",
                   "illustration": null, "favicon": "/assets/ci_favicons/favicon_status_%5$s.png"}}"""
                .formatted(run.id(), run.number(), idsByPath.get(project), run.sha(), status(run), run.created(),
                        updated(run), WEB, project, run.service(), run.started(), run.finished(), run.durationSeconds(),
                        run.queuedSeconds(), run.success() ? "passed" : "failed");
        CiPipelines.respond(exchange, 200, body, Map.of("ETag", etag(body)));
    }

    private void list(HttpExchange exchange, String project, List<CiPipelines.Run> list) throws IOException {
        Map<String, String> query = CiPipelines.query(exchange.getRequestURI().getRawQuery());
        int perPage = Math.max(1, Math.min(100, Integer.parseInt(query.getOrDefault("per_page", "20"))));
        int page = Math.max(1, Integer.parseInt(query.getOrDefault("page", "1")));
        Instant after = query.containsKey("updated_after") ? Instant.parse(query.get("updated_after")) : Instant.EPOCH;
        Comparator<CiPipelines.Run> order = "updated_at".equals(query.get("order_by"))
                ? Comparator.comparing(GitLabPipelines::updated).thenComparing(CiPipelines.Run::id)
                : Comparator.comparing(CiPipelines.Run::id);
        if (!"asc".equals(query.get("sort"))) {
            order = order.reversed();
        }
        List<CiPipelines.Run> matching = list.stream().filter(r -> !updated(r).isBefore(after)).sorted(order).toList();
        int from = Math.min(matching.size(), (page - 1) * perPage);
        int to = Math.min(matching.size(), from + perPage);
        StringBuilder body = new StringBuilder("[");
        long projectId = idsByPath.get(project);
        for (int i = from; i < to; i++) {
            CiPipelines.Run run = matching.get(i);
            body.append(i > from ? ",\n" : "").append("""
                    {"id": %1$d, "iid": %2$d, "project_id": %3$d, "status": "%4$s", "source": "push", "ref": "main",
                     "sha": "%5$s", "name": "Build pipeline", "web_url": "%6$s%7$s/-/pipelines/%1$d",
                     "created_at": "%8$s", "updated_at": "%9$s"}""".formatted(run.id(), run.number(), projectId,
                    status(run), run.sha(), WEB, project, run.created(), updated(run)));
        }
        body.append(']');
        int totalPages = Math.max(1, (matching.size() + perPage - 1) / perPage);
        Map<String, String> headers = new LinkedHashMap<>();
        String etag = etag(body.toString());
        headers.put("ETag", etag);
        headers.put("X-Page", String.valueOf(page));
        headers.put("X-Per-Page", String.valueOf(perPage));
        headers.put("X-Next-Page", page < totalPages ? String.valueOf(page + 1) : "");
        headers.put("X-Prev-Page", page > 1 ? String.valueOf(page - 1) : "");
        headers.put("X-Total", String.valueOf(matching.size()));
        headers.put("X-Total-Pages", String.valueOf(totalPages));
        headers.put("Link", links(exchange, page, totalPages));
        if (etag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
            notModified.incrementAndGet();
            CiPipelines.respond(exchange, 304, null, headers);
            return;
        }
        CiPipelines.respond(exchange, 200, body.toString(), headers);
    }

    private String links(HttpExchange exchange, int page, int totalPages) {
        String raw = exchange.getRequestURI().getRawQuery();
        String others = raw == null ? "" : String.join("&", java.util.Arrays.stream(raw.split("&"))
                .filter(p -> !p.startsWith("page=")).toList());
        String base = "http://127.0.0.1:" + port() + exchange.getRequestURI().getRawPath() + "?"
                + (others.isEmpty() ? "" : others + "&") + "page=";
        StringBuilder links = new StringBuilder();
        if (page < totalPages) {
            links.append('<').append(base).append(page + 1).append(">; rel=\"next\", ");
        }
        if (page > 1) {
            links.append('<').append(base).append(page - 1).append(">; rel=\"prev\", ");
        }
        return links.append('<').append(base).append(1).append(">; rel=\"first\", <").append(base).append(totalPages)
                .append(">; rel=\"last\"").toString();
    }

    private static String status(CiPipelines.Run run) {
        return run.success() ? "success" : "failed";
    }

    private static String etag(String body) {
        return "W/\"" + Integer.toHexString(body.hashCode()) + "\"";
    }
}

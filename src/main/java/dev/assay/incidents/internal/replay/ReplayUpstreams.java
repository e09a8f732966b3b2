package dev.assay.incidents.internal.replay;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
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
import dev.assay.common.UntrustedJson;
import dev.assay.incidents.internal.Timestamps;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Serves recorded upstream answers on a loopback port, for the demo: a source whose
 * {@code base-url} is {@code replay:demo/incidents/pagerduty} is collected by the real job, through
 * the real HTTP client, paging and mapping, from files in the real formats. It is a fake upstream
 * and says so in the log; nothing else in Assay knows the difference.
 * <p>
 * What it implements of each API (and nothing more):
 * <ul>
 * <li>PagerDuty: {@code GET /incidents} from {@code incidents.json} (a list response), filtered by
 * {@code since} / {@code until} (creation time), {@code statuses[]} and {@code service_ids[]},
 * sorted by creation, paged by {@code offset} / {@code limit} with {@code more};
 * {@code GET /incidents/{id}/log_entries} from {@code log_entries/<id>.json}; and the account's
 * {@code GET /log_entries}: the entries of all those files, filtered by {@code since} (inclusive) /
 * {@code until} (exclusive) on {@code created_at}, newest first, paged the same way.</li>
 * <li>Jira: {@code GET /rest/api/3/search/jql} (paged by {@code nextPageToken}, {@code isLast})
 * and {@code GET /rest/api/2/search} ({@code startAt}, {@code total}) from {@code search.json}.
 * JQL is not evaluated: every recorded issue is returned.</li>
 * </ul>
 * So that the demo stays recent, every timestamp of a recording is moved by the same whole number
 * of days, such that the newest is about a day old; durations do not change.
 */
@Component
public class ReplayUpstreams implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ReplayUpstreams.class);
    private static final Pattern TIMESTAMP = Pattern.compile("\"(\\d{4}-\\d{2}-\\d{2})(T\\d{2}:\\d{2}[^\"]*)\"");
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_-]{1,100}");

    private final ResourceLoader resources;
    private final UntrustedJson json;
    private final Clock clock;
    private final Map<String, Running> running = new HashMap<>();

    ReplayUpstreams(ResourceLoader resources, UntrustedJson json, Clock clock) {
        this.resources = resources;
        this.json = json;
        this.clock = clock;
    }

    private record Running(HttpServer server, ExecutorService executor, URI uri) {
    }

    /**
     * Starts (once per source and folder) the loopback server of a recording and returns its base URL.
     *
     * @param folder relative to the sources file's folder, or absolute
     */
    public synchronized URI serve(SourceDefinition source, String folder) {
        String location = folder.startsWith("/") ? "file:" + folder : source.baseLocation() + folder;
        if (!location.endsWith("/")) {
            location += "/";
        }
        String key = source.id() + "|" + location;
        Running existing = running.get(key);
        if (existing != null) {
            return existing.uri();
        }
        Recording recording = load(source, location);
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
                Thread thread = new Thread(runnable, "replay-" + source.id());
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(executor);
            server.createContext("/", exchange -> handle(recording, exchange));
            server.start();
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            running.put(key, new Running(server, executor, uri));
            log.info("Source {} replays the recorded {} answers in {} at {} (a demo upstream, not the real service;"
                    + " timestamps moved by {} days)", source.id(), source.type(), location, uri, recording.shiftDays());
            return uri;
        } catch (IOException e) {
            throw new IllegalStateException("Source '" + source.id() + "': cannot open a loopback port for its replay", e);
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

    /** A recording: its files' text with timestamps already moved. */
    record Recording(String type, JsonNode main, Map<String, String> files, long shiftDays) {
    }

    private Recording load(SourceDefinition source, String location) {
        String mainFile = switch (source.type()) {
            case "pagerduty" -> "incidents.json";
            case "jira" -> "search.json";
            default -> throw new IllegalArgumentException("Source '" + source.id() + "': replay supports pagerduty and jira"
                    + " sources, not " + source.type());
        };
        String main = read(source, location + mainFile);
        long shift = shiftDays(main);
        Map<String, String> files = new LinkedHashMap<>();
        if (source.type().equals("pagerduty")) {
            try {
                Resource[] entries = org.springframework.core.io.support.ResourcePatternUtils
                        .getResourcePatternResolver(resources).getResources(location + "log_entries/*.json");
                for (Resource entry : entries) {
                    try (InputStream in = entry.getInputStream()) {
                        files.put(entry.getFilename(), shift(new String(in.readAllBytes(), StandardCharsets.UTF_8), shift));
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("Source '" + source.id() + "': cannot read " + location + "log_entries/", e);
            }
        }
        return new Recording(source.type(), json.readTree(shift(main, shift)), files, shift);
    }

    private String read(SourceDefinition source, String location) {
        Resource resource = resources.getResource(location);
        try (InputStream in = resource.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("Source '" + source.id() + "': cannot read its recording " + location, e);
        }
    }

    /** Whole days that bring the newest timestamp of the recording to about a day before now. */
    private long shiftDays(String text) {
        Instant newest = null;
        Matcher m = TIMESTAMP.matcher(text);
        while (m.find()) {
            try {
                Instant at = Timestamps.parse(m.group(1) + m.group(2), "recording");
                if (at != null && (newest == null || at.isAfter(newest))) {
                    newest = at;
                }
            } catch (dev.assay.collect.RecordRejectedException ignored) {
                // not a timestamp with an offset: left as it is
            }
        }
        if (newest == null) {
            return 0;
        }
        return Duration.between(newest, clock.instant().minus(Duration.ofDays(1))).toDays();
    }

    static String shift(String text, long days) {
        if (days == 0) {
            return text;
        }
        Matcher m = TIMESTAMP.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String date = LocalDate.parse(m.group(1)).plusDays(days).toString();
            m.appendReplacement(out, Matcher.quoteReplacement("\"" + date + m.group(2) + "\""));
        }
        m.appendTail(out);
        return out.toString();
    }

    private void handle(Recording recording, HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, "{\"error\":\"only GET is replayed\"}");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            Map<String, List<String>> query = query(exchange.getRequestURI().getRawQuery());
            String body = switch (recording.type()) {
                case "pagerduty" -> pagerDuty(recording, path, query);
                case "jira" -> jira(recording, path, query);
                default -> null;
            };
            if (body == null) {
                respond(exchange, 404, "{\"error\":\"not in the recording: " + path.replace("\"", "") + "\"}");
            } else {
                respond(exchange, 200, body);
            }
        } catch (RuntimeException e) {
            log.warn("Replay could not answer {}: {}", exchange.getRequestURI(), e.toString());
            respond(exchange, 400, "{\"error\":\"bad request\"}");
        }
    }

    private String pagerDuty(Recording recording, String path, Map<String, List<String>> query) {
        if (path.equals("/incidents")) {
            Instant since = instant(first(query, "since"));
            Instant until = instant(first(query, "until"));
            List<String> statuses = query.getOrDefault("statuses[]", List.of());
            List<String> services = query.getOrDefault("service_ids[]", List.of());
            List<JsonNode> matching = new ArrayList<>();
            for (JsonNode incident : recording.main().path("incidents")) {
                Instant created = instant(incident.path("created_at").asString());
                boolean inRange = (since == null || !created.isBefore(since)) && (until == null || created.isBefore(until));
                boolean status = statuses.isEmpty() || statuses.contains(incident.path("status").asString());
                boolean service = services.isEmpty() || services.contains(incident.path("service").path("id").asString());
                if (inRange && status && service) {
                    matching.add(incident);
                }
            }
            matching.sort(java.util.Comparator.comparing(i -> instant(i.path("created_at").asString())));
            int offset = integer(first(query, "offset"), 0);
            int limit = Math.min(integer(first(query, "limit"), 25), 100);
            ObjectNode page = JsonNodeFactory.instance.objectNode();
            ArrayNode incidents = page.putArray("incidents");
            matching.stream().skip(offset).limit(limit).forEach(incidents::add);
            page.put("limit", limit);
            page.put("offset", offset);
            page.putNull("total");
            page.put("more", offset + limit < matching.size());
            return page.toString();
        }
        if (path.equals("/log_entries")) {
            return accountLogEntries(recording, query);
        }
        Matcher logEntries = Pattern.compile("/incidents/([^/]+)/log_entries").matcher(path);
        if (logEntries.matches() && SAFE_ID.matcher(logEntries.group(1)).matches()) {
            if (integer(first(query, "offset"), 0) > 0) {
                return "{\"log_entries\":[],\"limit\":100,\"offset\":" + integer(first(query, "offset"), 0)
                        + ",\"more\":false,\"total\":null}";
            }
            String file = recording.files().get(logEntries.group(1) + ".json");
            return file != null ? file : "{\"log_entries\":[],\"limit\":100,\"offset\":0,\"more\":false,\"total\":null}";
        }
        return null;
    }

    private String accountLogEntries(Recording recording, Map<String, List<String>> query) {
        Instant since = instant(first(query, "since"));
        Instant until = instant(first(query, "until"));
        List<JsonNode> matching = new ArrayList<>();
        for (String file : recording.files().values()) {
            for (JsonNode entry : json.readTree(file).path("log_entries")) {
                Instant created = instant(entry.path("created_at").asString());
                if ((since == null || !created.isBefore(since)) && (until == null || created.isBefore(until))) {
                    matching.add(entry);
                }
            }
        }
        matching.sort(java.util.Comparator.comparing((JsonNode e) -> instant(e.path("created_at").asString())).reversed()
                .thenComparing(e -> e.path("id").asString()));
        int offset = integer(first(query, "offset"), 0);
        int limit = Math.min(integer(first(query, "limit"), 25), 100);
        ObjectNode page = JsonNodeFactory.instance.objectNode();
        ArrayNode entries = page.putArray("log_entries");
        matching.stream().skip(offset).limit(limit).forEach(entries::add);
        page.put("limit", limit);
        page.put("offset", offset);
        page.put("more", offset + limit < matching.size());
        page.putNull("total");
        return page.toString();
    }

    private String jira(Recording recording, String path, Map<String, List<String>> query) {
        List<JsonNode> issues = new ArrayList<>();
        recording.main().path("issues").forEach(issues::add);
        int max = Math.min(integer(first(query, "maxResults"), 50), 100);
        ObjectNode page = JsonNodeFactory.instance.objectNode();
        if (path.equals("/rest/api/3/search/jql")) {
            int from = integer(first(query, "nextPageToken"), 0);
            ArrayNode slice = page.putArray("issues");
            issues.stream().skip(from).limit(max).forEach(slice::add);
            boolean last = from + max >= issues.size();
            if (!last) {
                page.put("nextPageToken", String.valueOf(from + max));
            }
            page.put("isLast", last);
            return page.toString();
        }
        if (path.equals("/rest/api/2/search")) {
            int from = integer(first(query, "startAt"), 0);
            page.put("startAt", from);
            page.put("maxResults", max);
            page.put("total", issues.size());
            ArrayNode slice = page.putArray("issues");
            issues.stream().skip(from).limit(max).forEach(slice::add);
            return page.toString();
        }
        return null;
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> params = new HashMap<>();
        if (raw == null) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static int integer(String value, int fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        return Math.max(0, Integer.parseInt(value));
    }

    private static Instant instant(String value) {
        try {
            return value == null ? null : Timestamps.parse(value, "time");
        } catch (dev.assay.collect.RecordRejectedException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}

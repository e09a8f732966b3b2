package dev.assay.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * PagerDuty REST API v2 on loopback, serving the generated incidents: {@code GET /incidents} with
 * {@code since} (inclusive) / {@code until} (exclusive) on creation time, {@code limit} /
 * {@code offset} paging and {@code more}; the account's log, {@code GET /log_entries}, with the same
 * {@code since} / {@code until} (on the entries' {@code created_at}), paging and {@code more},
 * newest first, each entry naming its incident ({@code incident: {id, type: incident_reference}});
 * and one incident's log, {@code GET /incidents/{id}/log_entries}. The incident objects are shaped
 * as a list answer without {@code include[]}: the first trigger log entry is a reference, and a
 * resolved incident has no acknowledgements left (PagerDuty clears them), so the collector needs
 * every incident's log entries, as it would against PagerDuty. Each incident's log is a trigger, a
 * notification, an acknowledgement and, once resolved, a resolution. It counts the requests it
 * answers per endpoint.
 */
final class PagerDutyUpstream implements AutoCloseable {

    static final String PATH = "/pd";

    private final HttpServer server;
    private final List<Organisation.Incident> incidents;
    private final List<Instant> created;
    private final Map<String, Organisation.Incident> byId = new HashMap<>();
    /**
     * The account's log, oldest first: each entry packed in a long (seconds since {@link #base},
     * incident index, kind), so that L's 400,000 entries cost 3 MB, not their JSON.
     */
    private final long[] log;
    private final long base;
    private final AtomicLong pageRequests = new AtomicLong();
    private final AtomicLong accountLogRequests = new AtomicLong();
    private final AtomicLong incidentLogRequests = new AtomicLong();

    private static final int KIND_BITS = 2;
    private static final int INDEX_BITS = 20;
    private static final String[] KINDS = {"trigger", "notify", "acknowledge", "resolve"};

    private PagerDutyUpstream(HttpServer server, List<Organisation.Incident> incidents) {
        this.server = server;
        this.incidents = incidents;
        this.created = incidents.stream().map(Organisation.Incident::created).toList();
        incidents.forEach(i -> byId.put(i.id(), i));
        if (incidents.size() >= 1 << INDEX_BITS) {
            throw new IllegalArgumentException("too many incidents for the packed log");
        }
        this.base = incidents.isEmpty() ? 0 : incidents.get(0).created().getEpochSecond();
        long[] packed = new long[incidents.size() * 4];
        int count = 0;
        for (int i = 0; i < incidents.size(); i++) {
            Organisation.Incident incident = incidents.get(i);
            packed[count++] = pack(incident.created(), i, 0);
            packed[count++] = pack(incident.created().plusSeconds(5), i, 1);
            packed[count++] = pack(incident.acknowledged(), i, 2);
            if (incident.resolved()) {
                packed[count++] = pack(incident.resolvedAt(), i, 3);
            }
        }
        this.log = Arrays.copyOf(packed, count);
        Arrays.sort(this.log);
    }

    private long pack(Instant at, int index, int kind) {
        return ((at.getEpochSecond() - base) << (INDEX_BITS + KIND_BITS)) | ((long) index << KIND_BITS) | kind;
    }

    private Instant at(long entry) {
        return Instant.ofEpochSecond(base + (entry >>> (INDEX_BITS + KIND_BITS)));
    }

    static PagerDutyUpstream start(List<Organisation.Incident> incidents) {
        // Without TCP_NODELAY the JDK server sends headers and body as two small segments, and the
        // client's delayed ACK adds about 40 ms to every answer: a cost of this stand-in, not of PagerDuty.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            PagerDutyUpstream upstream = new PagerDutyUpstream(server, incidents);
            server.createContext(PATH + "/incidents", upstream::handle);
            server.createContext(PATH + "/log_entries", upstream::handle);
            // No executor: the dispatcher thread answers, one request at a time (the collector reads sequentially).
            server.start();
            return upstream;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    long requests() {
        return pageRequests.get() + accountLogRequests.get() + incidentLogRequests.get();
    }

    /** {@code GET /incidents}. */
    long pageRequests() {
        return pageRequests.get();
    }

    /** Log entry requests of both kinds. */
    long logEntryRequests() {
        return accountLogRequests.get() + incidentLogRequests.get();
    }

    /** {@code GET /log_entries}. */
    long accountLogRequests() {
        return accountLogRequests.get();
    }

    /** {@code GET /incidents/{id}/log_entries}. */
    long incidentLogRequests() {
        return incidentLogRequests.get();
    }

    void resetCounts() {
        pageRequests.set(0);
        accountLogRequests.set(0);
        incidentLogRequests.set(0);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            String body;
            int status = 200;
            if (path.equals(PATH + "/log_entries")) {
                accountLogRequests.incrementAndGet();
                body = accountLog(Instant.parse(query.get("since")), Instant.parse(query.get("until")),
                        Integer.parseInt(query.getOrDefault("limit", "25")), Integer.parseInt(query.getOrDefault("offset", "0")));
                respond(exchange, status, body);
                return;
            }
            String rest = path.substring((PATH + "/incidents").length());
            if (rest.isEmpty() || rest.equals("/")) {
                pageRequests.incrementAndGet();
                body = incidentsPage(Instant.parse(query.get("since")), Instant.parse(query.get("until")),
                        Integer.parseInt(query.getOrDefault("limit", "25")), Integer.parseInt(query.getOrDefault("offset", "0")));
            } else if (rest.endsWith("/log_entries")) {
                incidentLogRequests.incrementAndGet();
                Organisation.Incident incident = byId.get(rest.substring(1, rest.length() - "/log_entries".length()));
                if (incident == null) {
                    status = 404;
                    body = "{\"error\":{\"message\":\"Not Found\",\"code\":2100}}";
                } else {
                    body = logEntries(incident);
                }
            } else {
                status = 404;
                body = "{\"error\":{\"message\":\"Not Found\",\"code\":2100}}";
            }
            respond(exchange, status, body);
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The account's log entries created in [since, until), newest first, paged. */
    private String accountLog(Instant since, Instant until, int limit, int offset) {
        int from = firstEntryAtOrAfter(since);
        int to = firstEntryAtOrAfter(until);
        // Newest first: position p of the answer is entry to - 1 - p.
        int count = Math.max(0, to - from);
        int start = Math.min(count, offset);
        int end = Math.min(count, start + limit);
        StringBuilder page = new StringBuilder("{\"log_entries\": [");
        for (int p = start; p < end; p++) {
            if (p > start) {
                page.append(',');
            }
            long entry = log[to - 1 - p];
            Organisation.Incident incident = incidents.get((int) ((entry >>> KIND_BITS) & ((1 << INDEX_BITS) - 1)));
            page.append(entry(incident, KINDS[(int) (entry & 3)], true));
        }
        return page.append("], \"limit\": ").append(limit).append(", \"offset\": ").append(offset)
                .append(", \"total\": null, \"more\": ").append(end < count).append('}').toString();
    }

    private int firstEntryAtOrAfter(Instant at) {
        long seconds = at.getEpochSecond() - base;
        if (seconds < 0) {
            return 0;
        }
        long key = seconds << (INDEX_BITS + KIND_BITS);
        int index = Arrays.binarySearch(log, key);
        return index < 0 ? -index - 1 : index;
    }

    private String incidentsPage(Instant since, Instant until, int limit, int offset) {
        int from = firstAtOrAfter(since);
        int to = firstAtOrAfter(until);
        int start = Math.min(to, from + offset);
        int end = Math.min(to, start + limit);
        StringBuilder page = new StringBuilder("{\"incidents\": [");
        for (int i = start; i < end; i++) {
            if (i > start) {
                page.append(',');
            }
            page.append(incident(incidents.get(i)));
        }
        return page.append("], \"limit\": ").append(limit).append(", \"offset\": ").append(offset)
                .append(", \"total\": null, \"more\": ").append(end < to).append('}').toString();
    }

    private int firstAtOrAfter(Instant at) {
        int index = Collections.binarySearch(created, at);
        if (index < 0) {
            return -index - 1;
        }
        while (index > 0 && created.get(index - 1).equals(at)) {
            index--;
        }
        return index;
    }

    static String incident(Organisation.Incident incident) {
        Organisation.Service service = incident.service();
        Instant changed = incident.resolved() ? incident.resolvedAt() : incident.acknowledged();
        String acknowledgements = incident.resolved() ? "[]" : """
                [{"at": "%s", "acknowledger": {"id": "PU%s", "type": "user_reference", "summary": "Owner of %s",
                  "self": "https://api.pagerduty.com/users/PU%s", "html_url": "https://bench.pagerduty.com/users/PU%s"}}]"""
                .formatted(incident.acknowledged(), service.team(), service.team(), service.team(), service.team());
        return """
                {"id": "%1$s", "type": "incident", "summary": "[#%2$d] %3$s: elevated error rate",
                 "self": "https://api.pagerduty.com/incidents/%1$s", "html_url": "https://bench.pagerduty.com/incidents/%1$s",
                 "incident_number": %2$d, "title": "%3$s: elevated error rate", "created_at": "%4$s", "updated_at": "%5$s",
                 "status": "%6$s", "incident_key": "bench-%1$s",
                 "service": {"id": "%7$s", "type": "service_reference", "summary": "%3$s",
                   "self": "https://api.pagerduty.com/services/%7$s", "html_url": "https://bench.pagerduty.com/service-directory/%7$s"},
                 "assignments": [], "assigned_via": "escalation_policy", "last_status_change_at": "%5$s",
                 "resolved_at": %8$s,
                 "first_trigger_log_entry": {"id": "LT%1$s", "type": "trigger_log_entry_reference",
                   "summary": "Triggered through the API", "self": "https://api.pagerduty.com/log_entries/LT%1$s",
                   "html_url": "https://bench.pagerduty.com/incidents/%1$s/log_entries/LT%1$s"},
                 "alert_counts": {"all": 1, "triggered": 0, "resolved": %9$d},
                 "escalation_policy": {"id": "PEP%10$s", "type": "escalation_policy_reference", "summary": "%10$s"},
                 "teams": [{"id": "PT%10$s", "type": "team_reference", "summary": "%10$s"}],
                 "acknowledgements": %11$s, "urgency": "high", "is_mergeable": true}"""
                .formatted(incident.id(), incident.number(), service.name(), incident.created(), changed,
                        incident.resolved() ? "resolved" : "acknowledged", service.pagerDutyId(),
                        incident.resolved() ? "\"" + incident.resolvedAt() + "\"" : "null", incident.resolved() ? 1 : 0,
                        service.team(), acknowledgements);
    }

    static String logEntries(Organisation.Incident incident) {
        List<String> entries = new java.util.ArrayList<>(List.of(entry(incident, "trigger", false),
                entry(incident, "notify", false), entry(incident, "acknowledge", false)));
        if (incident.resolved()) {
            entries.add(entry(incident, "resolve", false));
        }
        return "{\"log_entries\": [" + String.join(",", entries) + "], \"limit\": 100, \"offset\": 0, \"more\": false,"
                + " \"total\": null}";
    }

    /** One log entry of an incident, as PagerDuty writes it; the account's log names the incident. */
    static String entry(Organisation.Incident incident, String kind, boolean withIncident) {
        String id = incident.id();
        String team = incident.service().team();
        String reference = withIncident ? """
                , "incident": {"id": "%1$s", "type": "incident_reference", "summary": "[#%2$d] %3$s: elevated error rate",
                   "self": "https://api.pagerduty.com/incidents/%1$s", "html_url": "https://bench.pagerduty.com/incidents/%1$s"}"""
                .formatted(id, incident.number(), incident.service().name()) : "";
        return switch (kind) {
            case "trigger" -> """
                    {"id": "LT%1$s", "type": "trigger_log_entry", "created_at": "%2$s",
                     "agent": {"id": "%3$s", "type": "service_reference", "summary": "%4$s"},
                     "summary": "Triggered through the API"%5$s}""".formatted(id, incident.created(),
                    incident.service().pagerDutyId(), incident.service().name(), reference);
            case "notify" -> """
                    {"id": "LN%1$s", "type": "notify_log_entry", "created_at": "%2$s",
                     "summary": "Notified Owner of %3$s by SMS"%4$s}""".formatted(id, incident.created().plusSeconds(5), team,
                    reference);
            case "acknowledge" -> """
                    {"id": "LA%1$s", "type": "acknowledge_log_entry", "created_at": "%2$s",
                     "agent": {"id": "PU%3$s", "type": "user_reference", "summary": "Owner of %3$s"},
                     "summary": "Acknowledged by Owner of %3$s"%4$s}""".formatted(id, incident.acknowledged(), team, reference);
            default -> """
                    {"id": "LR%1$s", "type": "resolve_log_entry", "created_at": "%2$s",
                     "agent": {"id": "PU%3$s", "type": "user_reference", "summary": "Owner of %3$s"},
                     "summary": "Resolved by Owner of %3$s"%4$s}""".formatted(id, incident.resolvedAt(), team, reference);
        };
    }

    private static Map<String, String> query(String raw) {
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

package dev.assay.incidents.internal.pagerduty;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.batch.infrastructure.item.ItemReader;

import dev.assay.collect.Cursors;
import dev.assay.collect.RecordRejectedException;
import dev.assay.collect.Watermarks;
import dev.assay.incidents.internal.IncidentStore;
import dev.assay.incidents.internal.PagerDutyMapper;
import dev.assay.incidents.internal.Timestamps;
import dev.assay.incidents.internal.collect.CollectedItem;
import dev.assay.incidents.internal.collect.Windows;
import dev.assay.collect.http.PageFetcher;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Reads PagerDuty incidents created since the watermark: REST API v2 {@code GET /incidents} with
 * {@code since} / {@code until}, offset paging while {@code more} is true, optionally filtered by
 * {@code statuses[]} and {@code service_ids[]}.
 * <p>
 * PagerDuty filters {@code since} / {@code until} by creation time and refuses ranges longer than
 * six months, so the range is read in windows (option {@code window}, default 30 days); classic
 * offset paging stops at 10,000 results, so a window with more fails with a message asking for a
 * shorter window rather than silently missing incidents.
 * <p>
 * Log entries (option {@code log-entries}: {@code when-needed} (default) for an incident whose own
 * fields lack the trigger, acknowledgement or resolution time, {@code always} for full timelines,
 * {@code never}) come from the account's log ({@code GET /log_entries}, {@link PagerDutyLogEntries}),
 * read forward alongside the incidents; an incident's own log ({@code GET /incidents/{id}/log_entries})
 * is read only for an incident that log cannot answer for: created before the part of the log read,
 * or last changed more than a window later.
 * <p>
 * Incremental runs: a completed run records how far it read the log (watermark
 * {@value #LOG_CURSOR}). The next run reads the log from there first: the incidents it names are
 * the ones that changed. It then reads the incidents created since the creation watermark, pulled
 * back to the oldest stored incident that changed, and skips every stored incident that did not
 * change (not in the log, same {@code updated_at}). With nothing changed upstream that is one
 * request to each endpoint and nothing written. Without that watermark (the first incremental run,
 * or after a failed run) it re-reads from the oldest unresolved incident instead, as before.
 */
class PagerDutyIncidentReader implements ItemReader<CollectedItem> {

    static final String CURSOR = "pagerduty:created-since";
    static final String LOG_CURSOR = "pagerduty:log-entries-until";
    static final Map<String, String> HEADERS = Map.of("Accept", "application/vnd.pagerduty+json;version=2");
    private static final int PAGE_SIZE = 100;
    private static final int MAX_OFFSET = 10_000;
    private static final int MAX_LOG_ENTRY_PAGES = 20;

    private final String sourceId;
    private final PageFetcher pages;
    private final Start start;
    private final Instant until;
    private final Duration window;
    private final List<String> statuses;
    private final List<String> serviceIds;
    private final String logEntries;
    private final IncidentStore store;
    private final Cursors cursors;
    private final PagerDutyLogEntries log;

    private Instant since;
    private Set<String> changed;
    private Map<String, Instant> storedUpdatedAt = Map.of();
    private boolean finished;

    private Instant windowStart;
    private Instant windowEnd;
    private int offset;
    private boolean more;
    private final Deque<JsonNode> buffer = new ArrayDeque<>();
    private final Deque<String> locations = new ArrayDeque<>();

    /**
     * Where a run starts.
     *
     * @param createdSince    the creation watermark, null on the first run
     * @param logUntil        how far the last completed run read the log, null if unknown
     * @param oldestUnresolved the oldest stored incident not resolved yet (used without {@code logUntil})
     * @param lookback        how far back a run may read
     */
    record Start(Instant createdSince, Instant logUntil, Instant oldestUnresolved, Duration lookback) {
    }

    PagerDutyIncidentReader(String sourceId, PageFetcher pages, Start start, Instant until, Duration window,
            List<String> statuses, List<String> serviceIds, String logEntries, IncidentStore store, Cursors cursors) {
        this.sourceId = sourceId;
        this.pages = pages;
        this.start = start;
        // Whole seconds, like since: the windows then tile the range exactly.
        this.until = until.truncatedTo(ChronoUnit.SECONDS);
        this.window = window;
        this.statuses = statuses;
        this.serviceIds = serviceIds;
        this.logEntries = logEntries;
        this.store = store;
        this.cursors = cursors;
        this.log = new PagerDutyLogEntries(pages, this.until, window);
    }

    /** Decides where this run starts; with the log watermark, reads the log's changes first. */
    private void begin() {
        Instant earliest = until.minus(start.lookback());
        if (start.createdSince() == null) {
            since = earliest;
        } else if (start.logUntil() != null && !"never".equals(logEntries)) {
            changed = log.readChanges(start.logUntil());
            Instant from = start.createdSince();
            Instant oldestChanged = changed.isEmpty() ? null : store.oldestOccurred(sourceId, changed);
            if (oldestChanged != null && oldestChanged.isBefore(from)) {
                from = oldestChanged.isBefore(earliest) ? earliest : oldestChanged;
            }
            since = from;
        } else {
            since = Windows.since(start.createdSince(), start.oldestUnresolved(), until, start.lookback());
        }
        since = since.truncatedTo(ChronoUnit.SECONDS);
        if (since.isAfter(until)) {
            since = until;
        }
    }

    @Override
    public CollectedItem read() {
        if (since == null) {
            begin();
        }
        while (true) {
            CollectedItem item = next();
            if (item != SKIPPED) {
                return item;
            }
        }
    }

    private static final CollectedItem SKIPPED = new CollectedItem(null, null, null, null, null, null, null, null);

    private CollectedItem next() {
        while (buffer.isEmpty()) {
            if (windowStart == null) {
                windowStart = since;
                windowEnd = min(since.plus(window), until);
                offset = 0;
                more = true;
            } else if (!more) {
                if (!windowEnd.isBefore(until)) {
                    return null;
                }
                windowStart = windowEnd;
                windowEnd = min(windowStart.plus(window), until);
                offset = 0;
                more = true;
            }
            fetchPage();
        }
        JsonNode incident = buffer.poll();
        String location = locations.poll();
        JsonNode entries = null;
        String id = textOf(incident, "id");
        Instant created = instant(incident, "created_at");
        if (id != null && unchanged(id, incident)) {
            return SKIPPED;
        }
        if (id != null && !"never".equals(logEntries)
                && ("always".equals(logEntries) || PagerDutyMapper.needsLogEntries(incident))) {
            entries = log.entriesFor(id, created, lastChange(incident, created));
            if (entries == null) {
                entries = logEntries(id);
            }
        }
        return new CollectedItem(sourceId, "pagerduty-incident", location, incident, entries, null, CURSOR, created);
    }

    private void fetchPage() {
        if (offset + PAGE_SIZE > MAX_OFFSET) {
            throw new IllegalStateException(sourceId + ": more than " + MAX_OFFSET + " PagerDuty incidents were created between "
                    + windowStart + " and " + windowEnd + ", past PagerDuty's offset paging limit; set a shorter 'window'"
                    + " option (now " + window + ") so that no incident is missed");
        }
        StringBuilder query = new StringBuilder("incidents?since=").append(encode(windowStart.toString()))
                .append("&until=").append(encode(windowEnd.toString()))
                .append("&limit=").append(PAGE_SIZE).append("&offset=").append(offset)
                .append("&time_zone=UTC&sort_by=created_at%3Aasc");
        statuses.forEach(s -> query.append("&statuses%5B%5D=").append(encode(s)));
        serviceIds.forEach(s -> query.append("&service_ids%5B%5D=").append(encode(s)));
        URI uri = pages.client().resolve(query.toString());
        JsonNode page = pages.page(uri, HEADERS, "pagerduty-page", p -> p.path("incidents").isArray(),
                "an object with an 'incidents' array");
        JsonNode incidents = page.path("incidents");
        if (changed != null) {
            // Which of the page's incidents are stored already, and with what update time (one query per page).
            List<String> ids = new ArrayList<>();
            incidents.forEach(i -> {
                String id = textOf(i, "id");
                if (id != null) {
                    ids.add(id);
                }
            });
            storedUpdatedAt = store.upstreamUpdatedAt(sourceId, ids);
        }
        int position = 0;
        for (JsonNode incident : incidents) {
            buffer.add(incident);
            locations.add("GET /incidents?since=" + windowStart + "&offset=" + offset + " #" + (++position)
                    + idSuffix(incident));
        }
        offset += incidents.size();
        // PagerDuty says whether there is more; an empty page ends the window whatever it says.
        more = page.path("more").asBoolean(false) && incidents.size() > 0;
    }

    /**
     * A stored incident that the log does not name and whose update time has not moved since it was
     * stored: nothing to read or write (only on runs that read the log's changes).
     */
    private boolean unchanged(String id, JsonNode incident) {
        if (changed == null || changed.contains(id) || !storedUpdatedAt.containsKey(id)) {
            return false;
        }
        Instant stored = storedUpdatedAt.get(id);
        Instant upstream = instant(incident, "updated_at");
        if (upstream == null) {
            upstream = instant(incident, "last_status_change_at");
        }
        return upstream == null ? stored == null
                : stored != null && upstream.truncatedTo(ChronoUnit.MICROS).equals(stored.truncatedTo(ChronoUnit.MICROS));
    }

    /**
     * The end of a run that read every page: the log has been read through {@code until}. The step
     * calls it when it reads the end ({@link dev.assay.collect.ReadAheadReader}'s end action), in the
     * transaction of the last chunk: a run that fails before keeps the older value.
     */
    void finish() {
        if (!finished && !"never".equals(logEntries)) {
            Watermarks.advance(cursors, sourceId, LOG_CURSOR, until);
        }
        finished = true;
    }

    /** The latest time the incident itself says something happened to it. */
    private static Instant lastChange(JsonNode incident, Instant created) {
        Instant last = created;
        for (String field : List.of("updated_at", "last_status_change_at", "resolved_at")) {
            last = later(last, instant(incident, field));
        }
        for (JsonNode ack : incident.path("acknowledgements")) {
            last = later(last, instant(ack, "at"));
        }
        return last;
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null || !b.isAfter(a) ? a : b;
    }

    private static Instant instant(JsonNode node, String field) {
        try {
            return Timestamps.parse(textOf(node, field), field);
        } catch (RecordRejectedException e) {
            return null;
        }
    }

    private JsonNode logEntries(String id) {
        ArrayNode all = JsonNodeFactory.instance.arrayNode();
        int entryOffset = 0;
        for (int pageNumber = 0; pageNumber < MAX_LOG_ENTRY_PAGES; pageNumber++) {
            URI uri = pages.client().resolve("incidents/" + encode(id) + "/log_entries?limit=" + PAGE_SIZE + "&offset="
                    + entryOffset + "&time_zone=UTC&is_overview=false");
            JsonNode page = pages.optionalRecord(uri, HEADERS, "pagerduty-log-entries");
            if (page == null) {
                return null;
            }
            JsonNode entries = page.path("log_entries");
            if (!entries.isArray()) {
                return null;
            }
            entries.forEach(all::add);
            entryOffset += entries.size();
            if (!page.path("more").asBoolean(false) || entries.isEmpty()) {
                break;
            }
        }
        return all;
    }

    private static String idSuffix(JsonNode incident) {
        String id = textOf(incident, "id");
        String number = textOf(incident, "incident_number");
        return id != null ? " (id " + id + ")" : number != null ? " (#" + number + ")" : "";
    }

    private static String textOf(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull() || value.isContainer()) {
            return null;
        }
        String text = value.asString().strip();
        return text.isEmpty() ? null : text;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

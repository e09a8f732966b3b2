package dev.assay.incidents.internal.pagerduty;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import org.springframework.batch.infrastructure.item.ItemReader;

import dev.assay.collect.RecordRejectedException;
import dev.assay.incidents.internal.PagerDutyMapper;
import dev.assay.incidents.internal.Timestamps;
import dev.assay.incidents.internal.collect.CollectedItem;
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
 * shorter window rather than silently missing incidents. For an incident whose own fields lack the
 * trigger, acknowledgement or resolution time, its log entries are read
 * ({@code GET /incidents/{id}/log_entries}; option {@code log-entries}: {@code when-needed}
 * (default), {@code always} for full timelines, {@code never}).
 */
class PagerDutyIncidentReader implements ItemReader<CollectedItem> {

    static final String CURSOR = "pagerduty:created-since";
    static final Map<String, String> HEADERS = Map.of("Accept", "application/vnd.pagerduty+json;version=2");
    private static final int PAGE_SIZE = 100;
    private static final int MAX_OFFSET = 10_000;
    private static final int MAX_LOG_ENTRY_PAGES = 20;

    private final String sourceId;
    private final PageFetcher pages;
    private final Instant since;
    private final Instant until;
    private final Duration window;
    private final List<String> statuses;
    private final List<String> serviceIds;
    private final String logEntries;

    private Instant windowStart;
    private Instant windowEnd;
    private int offset;
    private boolean more;
    private final Deque<JsonNode> buffer = new ArrayDeque<>();
    private final Deque<String> locations = new ArrayDeque<>();

    PagerDutyIncidentReader(String sourceId, PageFetcher pages, Instant since, Instant until, Duration window,
            List<String> statuses, List<String> serviceIds, String logEntries) {
        this.sourceId = sourceId;
        this.pages = pages;
        this.since = since.truncatedTo(ChronoUnit.SECONDS);
        // Whole seconds, like since: the windows then tile the range exactly.
        this.until = until.truncatedTo(ChronoUnit.SECONDS);
        this.window = window;
        this.statuses = statuses;
        this.serviceIds = serviceIds;
        this.logEntries = logEntries;
    }

    @Override
    public CollectedItem read() {
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
        if (id != null && !"never".equals(logEntries)
                && ("always".equals(logEntries) || PagerDutyMapper.needsLogEntries(incident))) {
            entries = logEntries(id);
        }
        Instant created;
        try {
            created = Timestamps.parse(textOf(incident, "created_at"), "created_at");
        } catch (RecordRejectedException e) {
            created = null;
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

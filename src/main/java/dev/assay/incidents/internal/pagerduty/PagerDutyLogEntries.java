package dev.assay.incidents.internal.pagerduty;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import dev.assay.collect.RecordRejectedException;
import dev.assay.collect.http.PageFetcher;
import dev.assay.incidents.internal.Timestamps;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The account's log entries ({@code GET /log_entries?since=&until=}, REST API v2, offset paging
 * while {@code more}), read forward in time slices and handed out per incident
 * ({@code incident.id} of each entry), so that a page of incidents costs a few requests instead of
 * one per incident.
 * <p>
 * It covers a range of time {@code [lo, hi)} that only grows forward, up to the run's
 * {@code until}: an incident asks for its entries from its creation to its last status change.
 * The answer is exact when that range is covered (every acknowledgement or resolution of the
 * incident is an entry in it). It is null — the caller then reads the incident's own log — when the
 * incident was created before the covered range, or when covering its last change would mean
 * reading more than {@code horizon} ahead (an incident open for longer than a window): that keeps
 * the entries held in memory to about one window's worth.
 * <p>
 * Notification entries are not kept (the timeline leaves them out); an entry's fields the mapper
 * does not read are not kept either. The order in which PagerDuty lists entries does not matter:
 * they are keyed by entry id, and a slice with more than PagerDuty's offset limit (10,000) is read
 * again in halves.
 */
final class PagerDutyLogEntries {

    static final String KIND = "pagerduty-log-entries-page";
    private static final int PAGE_SIZE = 100;
    private static final int MAX_OFFSET = 10_000;
    private static final Duration EVICTION_MARGIN = Duration.ofHours(1);
    private static final Duration SMALLEST_SLICE = Duration.ofMinutes(1);

    private final PageFetcher pages;
    private final Instant until;
    private final Duration horizon;
    private final Map<String, Map<String, Entry>> byIncident = new HashMap<>();
    private final Map<String, Instant> earliest = new HashMap<>();
    private Instant lo;
    private Instant hi;
    private int handedOut;

    /** One log entry, as much of it as the mapper reads. */
    private record Entry(String type, String createdAt, String agent, String summary) {

        ObjectNode toJson() {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            node.put("type", type);
            node.put("created_at", createdAt);
            if (agent != null) {
                node.putObject("agent").put("summary", agent);
            }
            node.put("summary", summary);
            return node;
        }
    }

    /**
     * @param until   the end of the run's range (exclusive): nothing is read past it
     * @param horizon how far ahead of what is covered an incident may ask it to read
     */
    PagerDutyLogEntries(PageFetcher pages, Instant until, Duration horizon) {
        this.pages = pages;
        this.until = until.truncatedTo(ChronoUnit.SECONDS);
        this.horizon = horizon;
    }

    /**
     * Reads every entry from {@code from} to the run's end (an incremental run's changes) and
     * returns the ids of the incidents they are about, notifications left out.
     */
    Set<String> readChanges(Instant from) {
        Instant start = from.truncatedTo(ChronoUnit.SECONDS);
        Set<String> changed = new LinkedHashSet<>();
        if (start.isBefore(until)) {
            readSlice(start, until, changed);
        }
        lo = start.isBefore(until) ? start : until;
        hi = until;
        return changed;
    }

    /**
     * The entries of one incident (an array, possibly empty), or null when this stream cannot answer
     * for it exactly (see the class comment).
     *
     * @param created    the incident's creation time
     * @param lastChange the latest time the incident says something happened to it
     */
    JsonNode entriesFor(String incidentId, Instant created, Instant lastChange) {
        if (created == null) {
            return null;
        }
        if (lo == null) {
            lo = created.truncatedTo(ChronoUnit.SECONDS);
            hi = lo;
        }
        if (created.isBefore(lo)) {
            return null;
        }
        Instant last = lastChange == null || lastChange.isBefore(created) ? created : lastChange;
        Instant need = min(until, last.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1));
        if (need.isAfter(hi)) {
            if (Duration.between(hi, need).compareTo(horizon) > 0) {
                return null;
            }
            Instant to = min(until, max(need, hi.plus(horizon)));
            readSlice(hi, to, null);
            hi = to;
        }
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        Map<String, Entry> entries = byIncident.remove(incidentId);
        earliest.remove(incidentId);
        if (entries != null) {
            // In time order whatever order the pages came in (a stable sort: ties keep the order read).
            entries.values().stream().sorted(java.util.Comparator.comparing(e -> sortKey(e.createdAt())))
                    .forEach(e -> array.add(e.toJson()));
        }
        if (++handedOut % PAGE_SIZE == 0) {
            evictBefore(created.minus(EVICTION_MARGIN));
        }
        return array;
    }

    /** Incidents whose first entry is older than this were created before the incidents still to come. */
    private void evictBefore(Instant cutoff) {
        for (Iterator<Map.Entry<String, Instant>> it = earliest.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, Instant> e = it.next();
            if (e.getValue().isBefore(cutoff)) {
                byIncident.remove(e.getKey());
                it.remove();
            }
        }
    }

    private void readSlice(Instant from, Instant to, Set<String> changed) {
        int offset = 0;
        while (true) {
            if (offset + PAGE_SIZE > MAX_OFFSET) {
                // PagerDuty's offset paging stops here: read the slice again in halves (entries are keyed by id).
                if (Duration.between(from, to).compareTo(SMALLEST_SLICE) <= 0) {
                    throw new IllegalStateException("more than " + MAX_OFFSET + " PagerDuty log entries between " + from
                            + " and " + to + ", past PagerDuty's offset paging limit");
                }
                Instant middle = from.plus(Duration.between(from, to).dividedBy(2)).truncatedTo(ChronoUnit.SECONDS);
                readSlice(from, middle, changed);
                readSlice(middle, to, changed);
                return;
            }
            URI uri = pages.client().resolve("log_entries?since=" + PagerDutyIncidentReader.encode(from.toString())
                    + "&until=" + PagerDutyIncidentReader.encode(to.toString()) + "&limit=" + PAGE_SIZE + "&offset=" + offset
                    + "&time_zone=UTC&is_overview=false");
            JsonNode page = pages.page(uri, PagerDutyIncidentReader.HEADERS, KIND, p -> p.path("log_entries").isArray(),
                    "an object with a 'log_entries' array");
            JsonNode entries = page.path("log_entries");
            for (JsonNode entry : entries) {
                keep(entry, changed);
            }
            offset += entries.size();
            if (!page.path("more").asBoolean(false) || entries.isEmpty()) {
                return;
            }
        }
    }

    private void keep(JsonNode entry, Set<String> changed) {
        String incident = text(entry.path("incident"), "id");
        String type = text(entry, "type");
        String createdAt = text(entry, "created_at");
        if (incident == null || type == null || type.startsWith("notify_log_entry")) {
            return;
        }
        if (changed != null) {
            changed.add(incident);
        }
        String id = text(entry, "id");
        String summary = text(entry, "summary");
        String key = id != null ? id : type + "|" + createdAt + "|" + summary;
        byIncident.computeIfAbsent(incident, k -> new LinkedHashMap<>())
                .putIfAbsent(key, new Entry(type, createdAt, text(entry.path("agent"), "summary"), summary));
        Instant at = parse(createdAt);
        if (at != null) {
            earliest.merge(incident, at, PagerDutyLogEntries::min);
        }
    }

    private static Instant sortKey(String createdAt) {
        Instant at = parse(createdAt);
        return at == null ? Instant.MAX : at;
    }

    private static Instant parse(String text) {
        try {
            return Timestamps.parse(text, "log entry created_at");
        } catch (RecordRejectedException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull() || value.isContainer()) {
            return null;
        }
        String text = value.asString();
        return text.isBlank() ? null : text;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}

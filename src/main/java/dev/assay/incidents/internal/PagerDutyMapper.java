package dev.assay.incidents.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.assay.collect.RecordRejectedException;
import dev.assay.incidents.internal.MappedIncident.MappedEvent;
import dev.assay.incidents.internal.MappedIncident.UpstreamRef;
import tools.jackson.databind.JsonNode;

/**
 * A PagerDuty REST API v2 incident (an element of {@code GET /incidents}, the {@code incident} of
 * {@code GET /incidents/{id}} or a v3 webhook's {@code event.data}), with its log entries when they
 * were read, to an incident.
 * <ul>
 * <li>detected = the earlier of the incident's {@code created_at} and its first trigger log entry
 * (the first alert);</li>
 * <li>acknowledged = the first {@code acknowledge_log_entry}, else the earliest of
 * {@code acknowledgements[].at}. PagerDuty empties {@code acknowledgements} when an incident is
 * resolved, which is why the collector reads the log entries of resolved incidents;</li>
 * <li>resolved = {@code resolved_at}, else the last {@code resolve_log_entry}, else
 * {@code last_status_change_at} of a resolved incident;</li>
 * <li>impact start and mitigation: PagerDuty records neither; they stay unknown (the post-incident
 * review can set the impact start);</li>
 * <li>severity = the priority's name (P1…) when the account uses priorities, else the urgency.</li>
 * </ul>
 * Notification log entries are left out of the timeline: they record pages sent, not the incident's course.
 */
public final class PagerDutyMapper {

    public static final String TYPE = "pagerduty";

    private PagerDutyMapper() {
    }

    /**
     * @param logEntries the incident's log entries (an array), or null when they were not read
     */
    public static MappedIncident map(JsonNode incident, JsonNode logEntries, MapperOptions options)
            throws RecordRejectedException {
        if (incident == null || !incident.isObject()) {
            throw new RecordRejectedException("a PagerDuty incident must be a JSON object");
        }
        String id = Json.text(incident, "id");
        String number = Json.text(incident, "incident_number");
        if (id == null && number == null) {
            throw new RecordRejectedException("the PagerDuty incident has neither an id nor an incident_number");
        }
        // The incident number is unique within a PagerDuty account too; it keys an incident whose id
        // was blanked (captured samples do that), and such an incident cannot have its log entries read.
        String externalId = id != null ? id : "#" + number;
        String createdText = Json.text(incident, "created_at");
        if (createdText == null) {
            throw new RecordRejectedException("PagerDuty incident " + externalId + " has no created_at");
        }
        Instant created = Timestamps.parse(createdText, "created_at");
        JsonNode firstTrigger = incident.path("first_trigger_log_entry");
        Instant firstTriggerAt = Timestamps.parse(Json.text(firstTrigger, "created_at"), "first_trigger_log_entry.created_at");

        List<JsonNode> entries = new ArrayList<>();
        if (logEntries != null && logEntries.isArray()) {
            logEntries.forEach(entries::add);
        }
        Instant logTrigger = null;
        Instant logAck = null;
        Instant logResolve = null;
        List<MappedEvent> events = new ArrayList<>();
        for (JsonNode entry : entries) {
            String kind = kind(Json.text(entry, "type"));
            Instant at = Timestamps.parse(Json.text(entry, "created_at"), "log entry created_at");
            if (kind == null || at == null) {
                continue;
            }
            switch (kind) {
                case "trigger" -> logTrigger = min(logTrigger, at);
                case "acknowledge" -> logAck = min(logAck, at);
                case "resolve" -> logResolve = max(logResolve, at);
                default -> {
                }
            }
            if (!kind.equals("notify")) {
                events.add(new MappedEvent(at, kind, Json.cap(Json.text(entry.path("agent"), "summary"), 300),
                        Json.cap(Json.text(entry, "summary"), 2000)));
            }
        }
        Instant detected = min(created, min(firstTriggerAt, logTrigger));
        // The log is the history; acknowledgements only lists the current ones (emptied on resolution).
        Instant acknowledged = logAck;
        List<JsonNode> acknowledgements = new ArrayList<>();
        incident.path("acknowledgements").forEach(acknowledgements::add);
        if (acknowledged == null) {
            for (JsonNode ack : acknowledgements) {
                acknowledged = min(acknowledged, Timestamps.parse(Json.text(ack, "at"), "acknowledgements[].at"));
            }
        }
        String status = Json.text(incident, "status");
        Instant resolved = Timestamps.parse(Json.text(incident, "resolved_at"), "resolved_at");
        if (resolved == null && "resolved".equals(status)) {
            resolved = logResolve != null ? logResolve
                    : Timestamps.parse(Json.text(incident, "last_status_change_at"), "last_status_change_at");
        }

        if (entries.isEmpty()) {
            // No log entries read: the timeline is what the incident itself says.
            events.add(new MappedEvent(firstTriggerAt != null ? firstTriggerAt : created, "trigger",
                    Json.cap(Json.text(firstTrigger.path("agent"), "summary"), 300),
                    Json.cap(firstTrigger.isObject() && Json.text(firstTrigger, "summary") != null
                            ? Json.text(firstTrigger, "summary") : "Triggered", 2000)));
            for (JsonNode ack : acknowledgements) {
                Instant at = Timestamps.parse(Json.text(ack, "at"), "acknowledgements[].at");
                if (at != null) {
                    events.add(new MappedEvent(at, "acknowledge", Json.cap(Json.text(ack.path("acknowledger"), "summary"), 300),
                            "Acknowledged"));
                }
            }
            if (resolved != null) {
                events.add(new MappedEvent(resolved, "resolve",
                        Json.cap(Json.text(incident.path("last_status_change_by"), "summary"), 300), "Resolved"));
            }
        }
        events.sort(Comparator.comparing(MappedEvent::at));

        Set<UpstreamRef> refs = new LinkedHashSet<>();
        Set<String> shown = new LinkedHashSet<>();
        addService(incident.path("service"), refs, shown);
        incident.path("impacted_services").forEach(s -> addService(s, refs, shown));

        String priority = Json.text(incident.path("priority"), "summary");
        String severity = priority != null ? priority : Json.text(incident, "urgency");
        String title = firstNonNull(Json.text(incident, "title"), Json.text(incident, "summary"),
                "PagerDuty incident " + (number != null ? "#" + number : externalId));
        Instant updated = firstNonNull(Timestamps.parse(Json.text(incident, "updated_at"), "updated_at"),
                Timestamps.parse(Json.text(incident, "last_status_change_at"), "last_status_change_at"), null);
        return new MappedIncident(options.sourceId(), TYPE, Json.cap(externalId, 300),
                number != null ? "#" + number : externalId, Json.cap(title, 1000), Json.cap(severity, 100),
                Json.cap(status, 100), options.isDrill(title, List.of()), null, detected, acknowledged, null, resolved,
                updated, Json.cap(Json.text(incident, "html_url"), 2000),
                Json.cap(String.join(", ", shown), 2000), List.copyOf(refs), events, created, null);
    }

    /** {@code acknowledge_log_entry} → {@code acknowledge}; a bare reference has no type worth showing. */
    static String kind(String type) {
        if (type == null || type.endsWith("_reference")) {
            return null;
        }
        return type.toLowerCase(Locale.ROOT).replaceFirst("_log_entry$", "");
    }

    private static void addService(JsonNode service, Set<UpstreamRef> refs, Set<String> shown) {
        if (service == null || !service.isObject()) {
            return;
        }
        String id = Json.text(service, "id");
        String name = Json.text(service, "summary");
        if (id != null) {
            refs.add(new UpstreamRef(TYPE, Json.cap(id, 300)));
        }
        if (id != null || name != null) {
            shown.add(name == null ? id : id == null ? name + " (no id)" : name + " (" + id + ")");
        }
    }

    static Instant min(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    static Instant max(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }

    @SafeVarargs
    static <T> T firstNonNull(T... values) {
        for (T value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    /**
     * Whether the incident itself lacks times its log entries would give: a trigger time, an
     * acknowledgement of an incident past {@code triggered} (PagerDuty clears {@code acknowledgements}
     * on resolution), or the resolution time of a resolved incident.
     */
    public static boolean needsLogEntries(JsonNode incident) {
        String status = Json.text(incident, "status");
        boolean triggerKnown = Json.text(incident.path("first_trigger_log_entry"), "created_at") != null;
        boolean ackKnown = incident.path("acknowledgements").size() > 0;
        boolean resolveKnown = Json.text(incident, "resolved_at") != null;
        return !triggerKnown || (!ackKnown && !"triggered".equals(status)) || ("resolved".equals(status) && !resolveKnown);
    }
}

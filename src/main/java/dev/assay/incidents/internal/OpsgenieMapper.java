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
 * An Opsgenie Alert API v2 alert (an element of {@code GET /v2/alerts}, merged with its
 * {@code GET /v2/alerts/{id}} details when they were read) to an incident.
 * <ul>
 * <li>detected = {@code createdAt};</li>
 * <li>acknowledged = {@code createdAt + report.ackTime} and resolved = {@code createdAt +
 * report.closeTime}: Opsgenie reports both as milliseconds since creation, only in the details;</li>
 * <li>impact start and mitigation: Opsgenie records neither;</li>
 * <li>severity = {@code priority} (P1…P5); services: the team the collector queried for (the
 * catalog's {@code opsgenie.com/team}), and tags or {@code entity} equal to a service name.</li>
 * </ul>
 */
public final class OpsgenieMapper {

    public static final String TYPE = "opsgenie";

    private OpsgenieMapper() {
    }

    /**
     * @param details the {@code data} of the alert's details, or null when they were not read
     * @param team    the Opsgenie team name the list was queried for, or null
     * @param uiUrl   the Opsgenie web address ({@code https://acme.app.opsgenie.com}) for links, or null
     */
    public static MappedIncident map(JsonNode alert, JsonNode details, String team, String uiUrl, MapperOptions options)
            throws RecordRejectedException {
        if (alert == null || !alert.isObject()) {
            throw new RecordRejectedException("an Opsgenie alert must be a JSON object");
        }
        JsonNode merged = details != null && details.isObject() ? details : alert;
        String id = Json.text(alert, "id");
        if (id == null) {
            id = Json.text(merged, "id");
        }
        if (id == null) {
            throw new RecordRejectedException("the Opsgenie alert has no id");
        }
        String createdText = firstText(merged, alert, "createdAt");
        if (createdText == null) {
            throw new RecordRejectedException("Opsgenie alert " + id + " has no createdAt");
        }
        Instant created = Timestamps.parse(createdText, "createdAt");
        JsonNode report = merged.path("report").isObject() ? merged.path("report") : alert.path("report");
        Instant acknowledged = millisAfter(created, report, "ackTime");
        Instant closed = millisAfter(created, report, "closeTime");
        String status = firstText(merged, alert, "status");
        if (!"closed".equals(status)) {
            closed = null;
        }
        String message = firstText(merged, alert, "message");
        String tiny = firstText(merged, alert, "tinyId");
        List<String> tags = Json.texts(merged.path("tags").isArray() ? merged.path("tags") : alert.path("tags"));
        String entity = firstText(merged, alert, "entity");

        Set<UpstreamRef> refs = new LinkedHashSet<>();
        List<String> shown = new ArrayList<>();
        if (team != null) {
            refs.add(new UpstreamRef(TYPE, Json.cap(team, 300)));
            shown.add("Opsgenie team " + team);
        }
        for (String tag : tags) {
            refs.add(new UpstreamRef(UpstreamRef.NAME, Json.cap(tag.toLowerCase(Locale.ROOT), 300)));
        }
        if (entity != null) {
            refs.add(new UpstreamRef(UpstreamRef.NAME, Json.cap(entity.toLowerCase(Locale.ROOT), 300)));
            shown.add("entity " + entity);
        }
        if (!tags.isEmpty()) {
            shown.add("tags " + String.join(" ", tags));
        }

        List<MappedEvent> events = new ArrayList<>();
        JsonNode integration = merged.path("integration").isObject() ? merged.path("integration") : alert.path("integration");
        events.add(new MappedEvent(created, "created", Json.cap(firstNonNull(Json.text(integration, "name"),
                firstText(merged, alert, "source")), 300), Json.cap(message, 2000)));
        if (acknowledged != null) {
            events.add(new MappedEvent(acknowledged, "acknowledged", Json.cap(Json.text(report, "acknowledgedBy"), 300),
                    "Acknowledged"));
        }
        if (closed != null) {
            events.add(new MappedEvent(closed, "closed", Json.cap(Json.text(report, "closedBy"), 300), "Closed"));
        }
        events.sort(Comparator.comparing(MappedEvent::at));

        String title = message != null ? message : "Opsgenie alert " + (tiny != null ? "#" + tiny : id);
        Instant updated = Timestamps.parse(firstText(merged, alert, "updatedAt"), "updatedAt");
        String url = uiUrl == null ? null : uiUrl.replaceAll("/+$", "") + "/alert/detail/" + id + "/details";
        return new MappedIncident(options.sourceId(), TYPE, Json.cap(id, 300), tiny != null ? "#" + tiny : id,
                Json.cap(title, 1000), Json.cap(firstText(merged, alert, "priority"), 100), Json.cap(status, 100),
                options.isDrill(title, tags), null, created, acknowledged, null, closed, updated, Json.cap(url, 2000),
                Json.cap(String.join("; ", shown), 2000), List.copyOf(refs), events, created, null);
    }

    /** Whether the list item lacks what only the details give: an acknowledgement or closing time. */
    public static boolean needsDetails(JsonNode alert) {
        boolean mayHaveTimes = alert.path("acknowledged").asBoolean(false) || "closed".equals(Json.text(alert, "status"));
        return mayHaveTimes && !alert.path("report").isObject();
    }

    private static Instant millisAfter(Instant created, JsonNode report, String field) throws RecordRejectedException {
        JsonNode value = report.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.canConvertToLong() || value.asLong() < 0) {
            throw new RecordRejectedException("report." + field + " '" + value + "' is not a number of milliseconds");
        }
        return created.plusMillis(value.asLong());
    }

    private static String firstText(JsonNode preferred, JsonNode fallback, String field) {
        String value = Json.text(preferred, field);
        return value != null ? value : Json.text(fallback, field);
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }
}

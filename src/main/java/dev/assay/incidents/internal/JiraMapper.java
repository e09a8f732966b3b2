package dev.assay.incidents.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import dev.assay.collect.RecordRejectedException;
import dev.assay.incidents.internal.MappedIncident.MappedEvent;
import dev.assay.incidents.internal.MappedIncident.UpstreamRef;
import tools.jackson.databind.JsonNode;

/**
 * A Jira issue (an element of a search response, or the {@code issue} of a webhook) to an incident,
 * through the source's {@link JiraFieldMapping}. The timeline is the mapped timestamps (Jira's
 * changelog is not read). Services: values of the mapped service fields equal to a catalog service
 * name, else the services linked to the issue's project key ({@code jira/project-key}).
 */
public final class JiraMapper {

    public static final String TYPE = "jira";
    private static final Pattern DATE_ONLY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private JiraMapper() {
    }

    public static MappedIncident map(JsonNode issue, JiraFieldMapping mapping, MapperOptions options)
            throws RecordRejectedException {
        if (issue == null || !issue.isObject()) {
            throw new RecordRejectedException("a Jira issue must be a JSON object");
        }
        String key = Json.text(issue, "key");
        String id = Json.text(issue, "id");
        if (key == null && id == null) {
            throw new RecordRejectedException("the Jira issue has neither a key nor an id");
        }
        JsonNode fields = issue.path("fields");
        if (!fields.isObject()) {
            throw new RecordRejectedException("Jira issue " + (key != null ? key : id) + " has no fields");
        }
        // The id survives a move to another project, the key does not; searches always return the id
        // (the trimmed published samples lack it, hence the fallback).
        String externalId = id != null ? id : key;
        Instant started = time(fields, mapping.impactStart(), "impact-start");
        Instant detected = time(fields, mapping.detected(), "detected");
        Instant acknowledged = time(fields, mapping.acknowledged(), "acknowledged");
        Instant mitigated = time(fields, mapping.mitigated(), "mitigated");
        Instant resolved = time(fields, mapping.resolved(), "resolved");
        Instant updated = Timestamps.parse(Json.text(fields, "updated"), "updated");
        if (detected == null && started == null && resolved == null && mitigated == null && acknowledged == null) {
            throw new RecordRejectedException("Jira issue " + (key != null ? key : id) + " has no value in any mapped"
                    + " timestamp field (detected = " + mapping.detected() + ")");
        }

        List<String> labels = Json.texts(fields.path("labels"));
        Set<UpstreamRef> refs = new LinkedHashSet<>();
        List<String> shown = new ArrayList<>();
        for (String field : mapping.service()) {
            for (String value : Json.texts(fields.path(field))) {
                refs.add(new UpstreamRef(UpstreamRef.NAME, Json.cap(value.toLowerCase(Locale.ROOT), 300)));
                shown.add(field + " " + value);
            }
        }
        String project = Json.text(fields.path("project"), "key");
        if (project == null && key != null && key.contains("-")) {
            project = key.substring(0, key.lastIndexOf('-'));
        }
        if (project != null) {
            refs.add(new UpstreamRef(TYPE, Json.cap(project, 300)));
            shown.add(0, "Jira project " + project);
        }

        String title = Json.text(fields, "summary");
        if (title == null) {
            title = "Jira issue " + (key != null ? key : id);
        }
        List<MappedEvent> events = new ArrayList<>();
        addEvent(events, started, "impact-started", "Impact began (" + mapping.impactStart() + ")");
        addEvent(events, detected, "detected", "Detected (" + mapping.detected() + ")");
        addEvent(events, acknowledged, "acknowledged", "Acknowledged (" + mapping.acknowledged() + ")");
        addEvent(events, mitigated, "mitigated", "Mitigated (" + mapping.mitigated() + ")");
        addEvent(events, resolved, "resolved", "Resolved (" + mapping.resolved() + ")");
        events.sort(Comparator.comparing(MappedEvent::at));

        String url = null;
        String base = options.baseUrl();
        if (base == null) {
            base = origin(Json.text(issue, "self"));
        }
        if (base != null && key != null && base.startsWith("http")) {
            url = base.replaceAll("/+$", "") + "/browse/" + key;
        }
        return new MappedIncident(options.sourceId(), TYPE, Json.cap(externalId, 300), key != null ? key : id,
                Json.cap(title, 1000), Json.cap(Json.first(fields.path(mapping.severity())), 100),
                Json.cap(Json.first(fields.path("status")), 100), options.isDrill(title, labels), started, detected,
                acknowledged, mitigated, resolved, updated, Json.cap(url, 2000), Json.cap(String.join("; ", shown), 2000),
                List.copyOf(refs), events, updated != null ? updated : detected, null);
    }

    private static Instant time(JsonNode fields, String field, String role) throws RecordRejectedException {
        if (field == null) {
            return null;
        }
        String value = Json.scalar(fields.path(field));
        if (value != null && DATE_ONLY.matcher(value).matches()) {
            throw new RecordRejectedException("field " + field + " (" + role + ") holds the date " + value
                    + " without a time; map a date-time field");
        }
        return Timestamps.parse(value, field + " (" + role + ")");
    }

    private static void addEvent(List<MappedEvent> events, Instant at, String kind, String summary) {
        if (at != null) {
            events.add(new MappedEvent(at, kind, null, summary));
        }
    }

    private static String origin(String self) {
        if (self == null) {
            return null;
        }
        try {
            java.net.URI uri = java.net.URI.create(self);
            return uri.getScheme() == null || uri.getHost() == null ? null
                    : uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

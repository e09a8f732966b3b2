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
 * Assay's own minimal incident document, for trackers Assay has no mapper for (documented in
 * docs/incidents.md):
 * <pre>
 * {"schema": "assay.incident/v1", "id": "INC-42", "title": "Checkout errors", "severity": "sev1",
 *  "services": ["payments-api"], "is_drill": false,
 *  "started_at": "2024-05-01T10:00:00Z", "detected_at": "2024-05-01T10:14:00+02:00",
 *  "acknowledged_at": null, "mitigated_at": null, "resolved_at": null, "status": "open",
 *  "url": "https://tracker.example/INC-42",
 *  "events": [{"at": "...", "kind": "note", "actor": "alice", "summary": "..."}]}
 * </pre>
 * {@code schema}, {@code id}, {@code title} and {@code detected_at} are required; services are
 * catalog service names.
 */
public final class AssayIncidentMapper {

    public static final String SCHEMA = "assay.incident/v1";
    public static final String TYPE = "assay";

    private AssayIncidentMapper() {
    }

    public static MappedIncident map(JsonNode doc, MapperOptions options) throws RecordRejectedException {
        if (!SCHEMA.equals(Json.text(doc, "schema"))) {
            throw new RecordRejectedException("an Assay incident document must have \"schema\": \"" + SCHEMA + "\"");
        }
        String id = Json.text(doc, "id");
        String title = Json.text(doc, "title");
        if (id == null || title == null) {
            throw new RecordRejectedException("an Assay incident document needs \"id\" and \"title\"");
        }
        Instant detected = Timestamps.parse(Json.text(doc, "detected_at"), "detected_at");
        if (detected == null) {
            throw new RecordRejectedException("an Assay incident document needs \"detected_at\"");
        }
        JsonNode drill = doc.path("is_drill");
        if (!drill.isMissingNode() && !drill.isNull() && !drill.isBoolean()) {
            throw new RecordRejectedException("\"is_drill\" must be true or false");
        }
        Set<UpstreamRef> refs = new LinkedHashSet<>();
        List<String> services = Json.texts(doc.path("services"));
        for (String service : services) {
            refs.add(new UpstreamRef(UpstreamRef.NAME, Json.cap(service.toLowerCase(Locale.ROOT), 300)));
        }
        List<MappedEvent> events = new ArrayList<>();
        int index = 0;
        for (JsonNode event : doc.path("events")) {
            Instant at = Timestamps.parse(Json.text(event, "at"), "events[" + index + "].at");
            if (at == null) {
                throw new RecordRejectedException("events[" + index + "] has no \"at\"");
            }
            String kind = Json.text(event, "kind");
            events.add(new MappedEvent(at, Json.cap(kind == null ? "note" : kind, 60), Json.cap(Json.text(event, "actor"), 300),
                    Json.cap(Json.text(event, "summary"), 2000)));
            index++;
        }
        events.sort(Comparator.comparing(MappedEvent::at));
        return new MappedIncident(options.sourceId(), TYPE, Json.cap(id, 300), Json.cap(id, 300), Json.cap(title, 1000),
                Json.cap(Json.text(doc, "severity"), 100), Json.cap(Json.text(doc, "status"), 100),
                drill.asBoolean(false) || options.isDrill(title, List.of()),
                Timestamps.parse(Json.text(doc, "started_at"), "started_at"), detected,
                Timestamps.parse(Json.text(doc, "acknowledged_at"), "acknowledged_at"),
                Timestamps.parse(Json.text(doc, "mitigated_at"), "mitigated_at"),
                Timestamps.parse(Json.text(doc, "resolved_at"), "resolved_at"), null,
                Json.cap(Json.text(doc, "url"), 2000), Json.cap(String.join(", ", services), 2000), List.copyOf(refs),
                events, null, null);
    }
}

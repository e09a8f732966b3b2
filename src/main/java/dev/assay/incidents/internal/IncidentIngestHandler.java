package dev.assay.incidents.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.assay.collect.RecordRejectedException;
import dev.assay.collect.SourceDefinition;
import dev.assay.collect.Sources;
import dev.assay.collect.ingest.IngestHandler;
import dev.assay.collect.ingest.IngestRequest;
import dev.assay.common.AuditEvent;
import dev.assay.common.UntrustedJson;
import dev.assay.incidents.internal.MappedIncident.MappedEvent;
import dev.assay.incidents.internal.collect.IncidentUpstreams;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /api/v1/ingest/incident}: one incident pushed by a tracker or a script, mapped by the
 * collectors' mappers. The format is named by {@code ?format=} ({@code pagerduty}, {@code opsgenie},
 * {@code jira}, {@code assay}) or detected:
 * <ul>
 * <li>PagerDuty: an incident object, {@code {"incident": {...}}} ({@code GET /incidents/{id}}), or a
 * v3 webhook ({@code {"event": {"event_type": "incident.acknowledged", "occurred_at": ..., "data": {...}}}},
 * whose {@code occurred_at} is the acknowledgement or resolution time);</li>
 * <li>Opsgenie: an alert, or {@code {"data": {...}}} ({@code GET /v2/alerts/{id}});</li>
 * <li>Jira: an issue, or a webhook ({@code {"webhookEvent": ..., "issue": {...}}}), mapped with the
 * {@code fields} of the configured {@code jira} source whose {@code base-url} has the issue's host,
 * else the default mapping;</li>
 * <li>Assay's minimal document ({@code "schema": "assay.incident/v1"}, see {@link AssayIncidentMapper}).</li>
 * </ul>
 * Pushed incidents belong to the source {@code ingest:<format>}. A push updates what its document
 * says and keeps what earlier pushes of the same incident said (a "resolved" webhook does not erase
 * the acknowledgement time of the "acknowledged" one).
 */
@Component
class IncidentIngestHandler implements IngestHandler {

    static final Set<String> FORMATS = Set.of("pagerduty", "opsgenie", "jira", "assay");

    private final UntrustedJson json;
    private final IncidentStore store;
    private final IncidentQueries queries;
    private final ServiceResolver resolver;
    private final Sources sources;
    private final ApplicationEventPublisher events;

    IncidentIngestHandler(UntrustedJson json, IncidentStore store, IncidentQueries queries, ServiceResolver resolver,
            Sources sources, ApplicationEventPublisher events) {
        this.json = json;
        this.store = store;
        this.queries = queries;
        this.resolver = resolver;
        this.sources = sources;
        this.events = events;
    }

    @Override
    public String kind() {
        return "incident";
    }

    @Override
    @Transactional
    public String ingest(IngestRequest request) throws RecordRejectedException {
        JsonNode doc = json.readTree(request.body());
        if (!doc.isObject()) {
            throw new RecordRejectedException("an incident document must be a JSON object");
        }
        String format = request.format() == null || request.format().isBlank() ? detect(doc)
                : request.format().strip().toLowerCase(Locale.ROOT);
        if (!FORMATS.contains(format)) {
            throw new RecordRejectedException("format '" + request.format() + "' is not one of " + FORMATS);
        }
        String sourceId = "ingest:" + format;
        MappedIncident mapped = switch (format) {
            case "pagerduty" -> PagerDutyMapper.map(pagerDutyIncident(doc), null, MapperOptions.forPush(sourceId, null));
            case "opsgenie" -> OpsgenieMapper.map(opsgenieAlert(doc), null, null, null, MapperOptions.forPush(sourceId, null));
            case "jira" -> jira(doc, sourceId);
            default -> AssayIncidentMapper.map(doc, MapperOptions.forPush(sourceId, null));
        };
        if (mapped.occurredAt() == null) {
            throw new RecordRejectedException("the incident has no timestamp at all, so it cannot be placed in time");
        }
        Optional<IncidentQueries.IncidentRow> earlier = queries.findByExternal(sourceId, mapped.externalId());
        if (earlier.isPresent()) {
            mapped = merge(mapped, earlier.get(), queries.events(earlier.get().id()));
        }
        IncidentStore.Stored stored = store.upsert(mapped, resolver.snapshot().resolve(mapped.refs()));
        if (stored.outcome() != IncidentStore.Outcome.UNCHANGED) {
            events.publishEvent(new AuditEvent(request.actor(), stored.outcome() == IncidentStore.Outcome.CREATED
                    ? "incident.ingested" : "incident.reingested", "incident", String.valueOf(stored.id()), null,
                    sourceId + " " + mapped.externalId()));
        }
        return String.valueOf(stored.id());
    }

    static String detect(JsonNode doc) throws RecordRejectedException {
        if (AssayIncidentMapper.SCHEMA.equals(Json.text(doc, "schema"))) {
            return "assay";
        }
        if (doc.path("event").path("data").isObject() || doc.has("incident_number") || doc.path("incident").has("incident_number")
                || "incident".equals(Json.text(doc, "type"))) {
            return "pagerduty";
        }
        if (doc.has("tinyId") || doc.path("data").has("tinyId")) {
            return "opsgenie";
        }
        if ((doc.has("key") && doc.path("fields").isObject()) || doc.path("issue").path("fields").isObject()) {
            return "jira";
        }
        if (doc.has("alert") && doc.has("action")) {
            throw new RecordRejectedException("Opsgenie webhook payloads are not read; push the alert as GET /v2/alerts/{id}"
                    + " returns it, or let an opsgenie source collect it");
        }
        throw new RecordRejectedException("not a PagerDuty incident, Opsgenie alert, Jira issue or Assay incident document"
                + " (\"schema\": \"" + AssayIncidentMapper.SCHEMA + "\"); name the format with ?format= if detection fails");
    }

    /** The incident of a PagerDuty document; a v3 webhook's event time becomes the acknowledgement or resolution. */
    private static JsonNode pagerDutyIncident(JsonNode doc) throws RecordRejectedException {
        if (doc.path("incidents").isArray()) {
            throw new RecordRejectedException("push one incident per request, not a list");
        }
        JsonNode event = doc.path("event");
        if (event.path("data").isObject()) {
            if (!"incident".equals(Json.text(event.path("data"), "type"))) {
                throw new RecordRejectedException("PagerDuty webhook event of type " + Json.text(event, "event_type")
                        + " is not about an incident");
            }
            ObjectNode incident = ((ObjectNode) event.path("data")).deepCopy();
            String type = Json.text(event, "event_type");
            String at = Json.text(event, "occurred_at");
            if ("incident.acknowledged".equals(type) && at != null) {
                ObjectNode ack = JsonNodeFactory.instance.objectNode().put("at", at);
                ack.set("acknowledger", event.path("agent").isObject() ? event.path("agent").deepCopy() : null);
                incident.putArray("acknowledgements").add(ack);
            }
            if ("incident.resolved".equals(type) && at != null && !incident.has("resolved_at")) {
                incident.put("resolved_at", at);
            }
            if (!incident.has("incident_number") && incident.has("number")) {
                incident.set("incident_number", incident.get("number"));
            }
            return incident;
        }
        return doc.path("incident").isObject() ? doc.path("incident") : doc;
    }

    private static JsonNode opsgenieAlert(JsonNode doc) {
        return doc.path("data").isObject() && !doc.has("tinyId") ? doc.path("data") : doc;
    }

    private MappedIncident jira(JsonNode doc, String sourceId) throws RecordRejectedException {
        JsonNode issue = doc.path("issue").isObject() ? doc.path("issue") : doc;
        String host = host(Json.text(issue, "self"));
        JiraFieldMapping mapping = JiraFieldMapping.DEFAULT;
        String base = null;
        for (SourceDefinition source : sources.all()) {
            if ("jira".equals(source.type()) && host != null && host.equals(host(source.baseUrl()))) {
                mapping = JiraFieldMapping.of(source.options().get("fields"));
                base = IncidentUpstreams.uiUrl(source);
                break;
            }
        }
        return JiraMapper.map(issue, mapping, MapperOptions.forPush(sourceId, base));
    }

    /** Timestamps the new document lacks are kept from earlier pushes; the timeline is the union of both. */
    static MappedIncident merge(MappedIncident pushed, IncidentQueries.IncidentRow earlier,
            List<IncidentQueries.EventRow> earlierEvents) {
        Set<MappedEvent> events = new LinkedHashSet<>();
        earlierEvents.forEach(e -> events.add(new MappedEvent(e.at(), e.kind(), e.actor(), e.summary())));
        events.addAll(pushed.events());
        List<MappedEvent> timeline = new ArrayList<>(events);
        timeline.sort(Comparator.comparing(MappedEvent::at));
        return new MappedIncident(pushed.sourceId(), pushed.sourceType(), pushed.externalId(), pushed.displayRef(),
                pushed.title(), pushed.severity(), pushed.status(), pushed.drill(),
                or(pushed.startedAt(), earlier.started()), or(pushed.detectedAt(), earlier.detected()),
                or(pushed.acknowledgedAt(), earlier.acknowledged()), or(pushed.mitigatedAt(), earlier.mitigated()),
                or(pushed.resolvedAt(), earlier.resolved()), pushed.upstreamUpdatedAt(), pushed.url(),
                pushed.upstreamServices(), pushed.refs(), timeline, pushed.cursorAt(), null);
    }

    private static Instant or(Instant value, Instant fallback) {
        return value != null ? value : fallback;
    }

    private static String host(String url) {
        if (url == null) {
            return null;
        }
        try {
            return java.net.URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

package dev.assay.incidents;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Upstream documents generated in the APIs' documented shapes, for multi-page and fault scenarios
 * (the published samples are one page each).
 */
public final class Generated {

    private Generated() {
    }

    /** A resolved PagerDuty incident carrying its own trigger, acknowledgement and resolution times. */
    public static String pagerDutyIncident(int n, Instant created, String serviceId) {
        String id = String.format("PG%05d", n);
        return """
                {"id": "%s", "type": "incident", "incident_number": %d, "title": "Generated incident %d",
                 "created_at": "%s", "updated_at": "%s", "status": "resolved", "urgency": "high",
                 "service": {"id": "%s", "type": "service_reference", "summary": "Service %s"},
                 "first_trigger_log_entry": {"id": "T%s", "type": "trigger_log_entry", "created_at": "%s",
                   "agent": {"type": "generic_events_api_inbound_integration_reference", "summary": "Alertmanager"}},
                 "acknowledgements": [{"at": "%s", "acknowledger": {"id": "U1", "type": "user_reference", "summary": "Alice"}}],
                 "resolved_at": "%s", "last_status_change_at": "%s",
                 "html_url": "https://acme.pagerduty.com/incidents/%s"}"""
                .formatted(id, n, n, created, created.plusSeconds(1800), serviceId, serviceId, id, created,
                        created.plusSeconds(120), created.plusSeconds(1800), created.plusSeconds(1800), id);
    }

    public static String pagerDutyPage(List<String> incidents, int offset, boolean more) {
        return "{\"incidents\": [" + String.join(",", incidents) + "], \"limit\": 100, \"offset\": " + offset
                + ", \"total\": null, \"more\": " + more + "}";
    }

    /** Incidents n = from .. to−1, created two minutes apart from {@code start}. */
    public static List<String> pagerDutyIncidents(int from, int to, Instant start, String... serviceIds) {
        List<String> incidents = new ArrayList<>();
        for (int n = from; n < to; n++) {
            incidents.add(pagerDutyIncident(n, start.plusSeconds(120L * n), serviceIds[n % serviceIds.length]));
        }
        return incidents;
    }

    public static String opsgenieAlert(int n, Instant created) {
        return """
                {"id": "og-%d", "tinyId": "%d", "message": "Generated alert %d", "status": "open", "acknowledged": false,
                 "tags": [], "createdAt": "%s", "updatedAt": "%s", "priority": "P3",
                 "integration": {"id": "i", "name": "API", "type": "API"}}""".formatted(n, n, n, created, created);
    }

    public static String opsgeniePage(List<String> alerts, String next) {
        return "{\"data\": [" + String.join(",", alerts) + "], \"paging\": {" + (next == null ? "" : "\"next\": \"" + next + "\"")
                + "}, \"took\": 0.01, \"requestId\": \"r\"}";
    }

    public static String jiraIssue(int n, Instant created) {
        return """
                {"id": "%d", "key": "TEST-%d", "self": "https://acme.atlassian.net/rest/api/3/issue/%d",
                 "fields": {"summary": "Generated issue %d", "status": {"name": "Done"}, "priority": {"name": "High"},
                  "created": "%s", "updated": "%s", "resolutiondate": "%s", "labels": [], "components": [],
                  "project": {"key": "TEST"}}}""".formatted(10_000 + n, n, 10_000 + n, n, created,
                created.plusSeconds(3600), created.plusSeconds(3600));
    }

    public static List<String> range(int from, int to, java.util.function.IntFunction<String> item) {
        List<String> items = new ArrayList<>();
        for (int n = from; n < to; n++) {
            items.add(item.apply(n));
        }
        return items;
    }
}

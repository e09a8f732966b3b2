package dev.assay.incidents.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which Jira fields hold an incident's timestamps, severity and services: the {@code fields}
 * option of a {@code jira} source. Field ids are Jira's ({@code created}, {@code resolutiondate},
 * {@code priority}, {@code components}, {@code labels}, {@code customfield_10060}, ...).
 * Defaults: detected = {@code created}, resolved = {@code resolutiondate}, severity =
 * {@code priority}, service = {@code components} and {@code labels}; impact start, acknowledgement
 * and mitigation have no default (Jira has no such standard field).
 */
public record JiraFieldMapping(String impactStart, String detected, String acknowledged, String mitigated,
        String resolved, String severity, List<String> service) {

    public static final JiraFieldMapping DEFAULT = new JiraFieldMapping(null, "created", null, null, "resolutiondate",
            "priority", List.of("components", "labels"));

    private static final Set<String> KEYS = Set.of("impact-start", "detected", "acknowledged", "mitigated", "resolved",
            "severity", "service");
    private static final Pattern FIELD_ID = Pattern.compile("[A-Za-z][A-Za-z0-9_.]{0,99}");

    public JiraFieldMapping {
        service = List.copyOf(service);
    }

    /**
     * @throws IllegalArgumentException an unknown key or a value that is not a field id, naming it
     */
    public static JiraFieldMapping of(Object option) {
        if (option == null) {
            return DEFAULT;
        }
        if (!(option instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("'fields' must be a mapping such as {impact-start: customfield_10060}");
        }
        for (Object key : map.keySet()) {
            if (!KEYS.contains(String.valueOf(key))) {
                throw new IllegalArgumentException("'fields' has an unknown key '" + key + "'; known keys: " + KEYS);
            }
        }
        List<String> service = new ArrayList<>();
        Object serviceValue = map.get("service");
        if (serviceValue instanceof List<?> list) {
            list.forEach(v -> service.add(field(String.valueOf(v), "service")));
        } else if (serviceValue != null) {
            service.add(field(String.valueOf(serviceValue), "service"));
        }
        return new JiraFieldMapping(value(map, "impact-start", DEFAULT.impactStart()),
                value(map, "detected", DEFAULT.detected()), value(map, "acknowledged", DEFAULT.acknowledged()),
                value(map, "mitigated", DEFAULT.mitigated()), value(map, "resolved", DEFAULT.resolved()),
                value(map, "severity", DEFAULT.severity()), service.isEmpty() ? DEFAULT.service() : service);
    }

    /** The fields a search must ask for: the standard ones Assay shows plus every mapped one. */
    public List<String> requestedFields() {
        Set<String> fields = new LinkedHashSet<>(List.of("summary", "status", "priority", "created", "updated",
                "resolutiondate", "labels", "components", "project", "issuetype"));
        for (String field : new String[] {impactStart, detected, acknowledged, mitigated, resolved, severity}) {
            if (field != null) {
                fields.add(field);
            }
        }
        fields.addAll(service);
        return List.copyOf(fields);
    }

    private static String value(Map<?, ?> map, String key, String fallback) {
        Object value = map.get(key);
        return value == null ? fallback : field(String.valueOf(value), key);
    }

    private static String field(String value, String key) {
        String trimmed = value.strip();
        if (!FIELD_ID.matcher(trimmed).matches()) {
            throw new IllegalArgumentException("'fields." + key + "' = '" + value + "' is not a Jira field id");
        }
        return trimmed;
    }
}

package dev.assay.findings;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.springframework.web.util.UriComponentsBuilder;

import dev.assay.findings.internal.DueFilter;
import dev.assay.findings.internal.FindingFilter;
import dev.assay.findings.internal.FindingSort;

/**
 * The query parameters every list of findings takes (pages, CSV, API), bound from the request.
 * {@code status} is one status, several separated by commas, {@code actionable} (open and in
 * progress) or {@code all}; when absent, pages show actionable findings and the API all findings.
 * Unknown values are a 400 with a message, never silently ignored.
 */
record FindingParams(String team, String service, String severity, String status, String source, String due, String sort,
        String assignee, String after, Integer page, Integer size) {

    static final String ACTIONABLE = "actionable";
    static final String ALL = "all";

    FindingFilter toFilter(Set<String> scope, boolean actionableByDefault) {
        return new FindingFilter(scope, blank(team), blank(service),
                blank(severity) == null ? null : Severity.parse(severity), statuses(actionableByDefault),
                blank(source) == null ? null : FindingSource.parse(source), blank(due) == null ? null : DueFilter.parse(due),
                blank(assignee));
    }

    FindingSort toSort() {
        return FindingSort.parse(sort);
    }

    /** The status value as the filter form shows it. */
    String statusValue(boolean actionableByDefault) {
        String value = blank(status);
        return value == null ? (actionableByDefault ? ACTIONABLE : ALL) : value.toLowerCase(Locale.ROOT);
    }

    private Set<FindingStatus> statuses(boolean actionableByDefault) {
        String value = statusValue(actionableByDefault);
        if (value.equals(ALL)) {
            return Set.of();
        }
        if (value.equals(ACTIONABLE)) {
            return FindingStatus.ACTIONABLE;
        }
        Set<FindingStatus> statuses = EnumSet.noneOf(FindingStatus.class);
        for (String part : value.split(",")) {
            if (!part.isBlank()) {
                statuses.add(FindingStatus.parse(part));
            }
        }
        return statuses;
    }

    /** The filter as query parameters (no paging), for links that keep it: next page, CSV, sort. */
    Map<String, String> query() {
        Map<String, String> query = new LinkedHashMap<>();
        put(query, "team", team);
        put(query, "service", service);
        put(query, "severity", severity);
        put(query, "status", status);
        put(query, "source", source);
        put(query, "due", due);
        put(query, "assignee", assignee);
        put(query, "sort", sort);
        return query;
    }

    /** {@code path} with this filter and the given extra parameters, URL-encoded. */
    String link(String path, String... extra) {
        UriComponentsBuilder builder = UriComponentsBuilder.fromPath(path);
        query().forEach(builder::queryParam);
        for (int i = 0; i + 1 < extra.length; i += 2) {
            if (extra[i + 1] != null) {
                builder.queryParam(extra[i], extra[i + 1]);
            }
        }
        return builder.encode().build().toUriString();
    }

    private static void put(Map<String, String> query, String name, String value) {
        if (blank(value) != null) {
            query.put(name, value.trim());
        }
    }

    static String blank(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}

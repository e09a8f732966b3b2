package dev.assay.incidents.internal.jira;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.batch.infrastructure.item.ItemReader;

import dev.assay.collect.RecordRejectedException;
import dev.assay.incidents.internal.Timestamps;
import dev.assay.incidents.internal.collect.CollectedItem;
import dev.assay.collect.http.PageFetcher;
import tools.jackson.databind.JsonNode;

/**
 * Reads the Jira issues of the source's JQL updated since the watermark, oldest update first:
 * {@code (<jql>) AND updated >= "yyyy/MM/dd HH:mm" ORDER BY updated ASC, key ASC}.
 * <ul>
 * <li>{@code api: v3} (default, Jira Cloud): the enhanced search {@code GET /rest/api/3/search/jql},
 * paged by {@code nextPageToken} until {@code isLast};</li>
 * <li>{@code api: v2} (Jira Data Center / Server, and Cloud before the old search was retired):
 * {@code GET /rest/api/2/search}, paged by {@code startAt} up to {@code total}.</li>
 * </ul>
 * The query and its start point: {@link JiraQueries}.
 */
class JiraIssueReader implements ItemReader<CollectedItem> {

    static final String CURSOR = "jira:updated-since";
    private static final int PAGE_SIZE = 100;

    private final String sourceId;
    private final PageFetcher pages;
    private final String api;
    private final String jql;
    private final List<String> fields;

    private boolean finished;
    private String nextPageToken;
    private int startAt;
    private int pageNumber;
    private final Set<String> seenTokens = new HashSet<>();
    private final Deque<JsonNode> buffer = new ArrayDeque<>();
    private final Deque<String> locations = new ArrayDeque<>();

    JiraIssueReader(String sourceId, PageFetcher pages, String api, String jql, List<String> fields) {
        this.sourceId = sourceId;
        this.pages = pages;
        this.api = api;
        this.jql = jql;
        this.fields = fields;
    }

    @Override
    public CollectedItem read() {
        while (buffer.isEmpty()) {
            if (finished) {
                return null;
            }
            fetchPage();
        }
        JsonNode issue = buffer.poll();
        String location = locations.poll();
        Instant updated;
        try {
            updated = Timestamps.parse(text(issue.path("fields"), "updated"), "updated");
        } catch (RecordRejectedException e) {
            updated = null;
        }
        return new CollectedItem(sourceId, "jira-issue", location, issue, null, null, CURSOR, updated);
    }

    private void fetchPage() {
        String fieldList = encode(String.join(",", fields));
        URI uri;
        if ("v2".equals(api)) {
            uri = pages.client().resolve("rest/api/2/search?jql=" + encode(jql) + "&startAt=" + startAt + "&maxResults="
                    + PAGE_SIZE + "&fields=" + fieldList);
        } else {
            uri = pages.client().resolve("rest/api/3/search/jql?jql=" + encode(jql) + "&maxResults=" + PAGE_SIZE
                    + "&fields=" + fieldList + (nextPageToken == null ? "" : "&nextPageToken=" + encode(nextPageToken)));
        }
        JsonNode page = pages.page(uri, Map.of(), "jira-page", p -> p.path("issues").isArray(),
                "an object with an 'issues' array");
        pageNumber++;
        JsonNode issues = page.path("issues");
        int position = 0;
        for (JsonNode issue : issues) {
            buffer.add(issue);
            String key = text(issue, "key");
            locations.add("GET /rest/api/" + ("v2".equals(api) ? "2/search" : "3/search/jql") + " page " + pageNumber
                    + " #" + (++position) + (key == null ? "" : " (" + key + ")"));
        }
        if ("v2".equals(api)) {
            startAt += issues.size();
            long total = page.path("total").asLong(0);
            finished = issues.isEmpty() || startAt >= total;
        } else {
            String token = text(page, "nextPageToken");
            boolean last = page.path("isLast").asBoolean(token == null);
            if (!last && token != null && !seenTokens.add(token)) {
                throw new IllegalStateException(sourceId + ": Jira returned the page token " + token
                        + " twice; stopping rather than reading the same pages forever");
            }
            finished = last || token == null || issues.isEmpty();
            nextPageToken = token;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull() || value.isContainer()) {
            return null;
        }
        String text = value.asString().strip();
        return text.isEmpty() ? null : text;
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

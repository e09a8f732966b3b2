package dev.assay.incidents.internal.opsgenie;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.springframework.batch.infrastructure.item.ItemReader;

import dev.assay.collect.RecordRejectedException;
import dev.assay.incidents.internal.OpsgenieMapper;
import dev.assay.incidents.internal.Timestamps;
import dev.assay.incidents.internal.collect.CollectedItem;
import dev.assay.collect.http.PageFetcher;
import tools.jackson.databind.JsonNode;

/**
 * Reads Opsgenie alerts (Alert API v2, {@code Authorization: GenieKey …}): for each team of the
 * {@code teams} option (or all alerts without it) {@code GET /v2/alerts?query=teams:<name> AND
 * createdAt>…&sort=createdAt&order=asc&limit=100}, following {@code paging.next}; for an alert that
 * was acknowledged or closed, its details ({@code GET /v2/alerts/{id}}) for {@code report.ackTime}
 * and {@code report.closeTime}.
 * <p>
 * Sorted and filtered by creation time, not {@code updatedAt}: with offset paging, an alert updated
 * while the list is read would move to the end of an {@code updatedAt}-sorted list and push
 * another alert past a page boundary unseen. Alerts that change after they were collected (closed
 * later) are re-read because the read starts at the oldest alert still open (see
 * {@code Windows.since}). Opsgenie's offset paging stops at 20,000 results; a team with more alerts
 * in the range fails with a message asking for a shorter {@code lookback}.
 * <p>
 * {@code paging.next} is followed on the configured base URL: Opsgenie answers with links to its own
 * host name, and the key must only ever go to the host the source names.
 */
class OpsgenieAlertReader implements ItemReader<CollectedItem> {

    static final String CURSOR_PREFIX = "opsgenie:created-since:";
    static final String ALL_TEAMS = "*";
    private static final int PAGE_SIZE = 100;
    private static final int MAX_OFFSET = 20_000;

    private final String sourceId;
    private final PageFetcher pages;
    private final Deque<String> teams;
    private final Function<String, Instant> sinceOfTeam;

    private String team;
    private URI next;
    private int pageNumber;
    private final Deque<JsonNode> buffer = new ArrayDeque<>();
    private final Deque<String> locations = new ArrayDeque<>();

    /**
     * @param teams       team names, or an empty list to read every alert
     * @param sinceOfTeam where the read of a team starts (its watermark, see {@code Windows.since})
     */
    OpsgenieAlertReader(String sourceId, PageFetcher pages, List<String> teams, Function<String, Instant> sinceOfTeam) {
        this.sourceId = sourceId;
        this.pages = pages;
        this.teams = new ArrayDeque<>(teams.isEmpty() ? List.of(ALL_TEAMS) : teams);
        this.sinceOfTeam = sinceOfTeam;
    }

    static String cursorKey(String team) {
        return CURSOR_PREFIX + team;
    }

    @Override
    public CollectedItem read() {
        while (buffer.isEmpty()) {
            if (next == null) {
                if (teams.isEmpty()) {
                    return null;
                }
                team = teams.poll();
                next = firstPage(team);
                pageNumber = 0;
            }
            fetchPage();
        }
        JsonNode alert = buffer.poll();
        String location = locations.poll();
        JsonNode details = null;
        String id = text(alert, "id");
        if (id != null && OpsgenieMapper.needsDetails(alert)) {
            JsonNode answer = pages.optionalRecord(pages.client().resolve("v2/alerts/" + encode(id) + "?identifierType=id"),
                    Map.of(), "opsgenie-alert-details");
            details = answer == null ? null : answer.path("data");
        }
        Instant created;
        try {
            created = Timestamps.parse(text(alert, "createdAt"), "createdAt");
        } catch (RecordRejectedException e) {
            created = null;
        }
        return new CollectedItem(sourceId, "opsgenie-alert", location, alert, details,
                ALL_TEAMS.equals(team) ? null : team, cursorKey(team), created);
    }

    private URI firstPage(String team) {
        Instant since = sinceOfTeam.apply(team);
        // createdAt>n with n one millisecond earlier: the boundary alert is read again (the upsert
        // changes nothing) rather than risk an operator Opsgenie may not support.
        String query = (ALL_TEAMS.equals(team) ? "" : "teams:" + quoteIfNeeded(team) + " AND ")
                + "createdAt>" + (since.toEpochMilli() - 1);
        return pages.client().resolve("v2/alerts?query=" + encode(query) + "&limit=" + PAGE_SIZE
                + "&offset=0&sort=createdAt&order=asc");
    }

    private void fetchPage() {
        URI uri = next;
        String offset = queryValue(uri, "offset");
        if (offset != null && Integer.parseInt(offset) + PAGE_SIZE > MAX_OFFSET) {
            throw new IllegalStateException(sourceId + ": team " + team + " has more than " + MAX_OFFSET
                    + " alerts in the range, past Opsgenie's offset paging limit; set a shorter 'lookback'");
        }
        JsonNode page = pages.page(uri, Map.of(), "opsgenie-page", p -> p.path("data").isArray(),
                "an object with a 'data' array");
        pageNumber++;
        int position = 0;
        for (JsonNode alert : page.path("data")) {
            buffer.add(alert);
            String id = text(alert, "id");
            locations.add("GET /v2/alerts team " + team + " page " + pageNumber + " #" + (++position)
                    + (id == null ? "" : " (id " + id + ")"));
        }
        String link = text(page.path("paging"), "next");
        URI following = link == null || page.path("data").isEmpty() ? null : rebase(URI.create(link));
        if (following != null && following.equals(uri)) {
            throw new IllegalStateException(sourceId + ": Opsgenie's paging.next repeats the page it is on (" + uri + ")");
        }
        next = following;
    }

    /** The path and query of a paging link on the configured base URL (see the class comment). */
    private URI rebase(URI link) {
        String pathAndQuery = link.getRawPath() + (link.getRawQuery() == null ? "" : "?" + link.getRawQuery());
        return pages.client().resolve(pathAndQuery.startsWith("/") ? pathAndQuery.substring(1) : pathAndQuery);
    }

    private static String queryValue(URI uri, String name) {
        String query = uri.getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        return null;
    }

    private static String quoteIfNeeded(String team) {
        return team.matches("[A-Za-z0-9_.-]+") ? team : "\"" + team.replace("\"", "") + "\"";
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

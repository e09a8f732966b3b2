package dev.assay.builds.internal.collect;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.assay.builds.internal.GitLabPipelineMapper;
import dev.assay.builds.internal.RunStore;
import dev.assay.collect.Cursors;
import dev.assay.collect.Watermarks;
import dev.assay.collect.http.PageFetcher;
import tools.jackson.databind.JsonNode;

/**
 * Reads the pipelines of each configured project (numeric id or {@code group/name}, URL-encoded):
 * {@code GET /api/v4/projects/:id/pipelines?updated_after=<watermark>&order_by=updated_at&sort=asc},
 * paged by {@code X-Next-Page} (offset paging) or the {@code Link} header (keyset paging). The
 * list lacks start, finish and duration, so a pipeline that changed since it was stored is read
 * again with {@code GET /api/v4/projects/:id/pipelines/:pipeline_id} (unless it has not started yet);
 * an unchanged one is skipped.
 * Oldest change first, so the watermark ({@code updated_at}) commits with each chunk.
 */
class GitLabPipelineReader extends RunListReader {

    /** Statuses of a pipeline that has not started: its details add nothing to the list item. */
    private static final java.util.Set<String> WAITING = java.util.Set.of("created", "waiting_for_resource", "preparing",
            "waiting_for_callback", "pending", "scheduled", "manual");

    private final PageFetcher pages;
    private final List<String> projects;
    private final RunStore store;
    private final Instant earliest;

    private int index;
    private String project;
    private String encodedProject;
    private String firstUrl;
    private URI next;
    private int page;
    private String etag;
    private boolean listHadRuns;

    GitLabPipelineReader(String sourceId, PageFetcher pages, List<String> projects, Cursors cursors, RunStore store,
            Instant now, Duration lookback) {
        super(sourceId, cursors);
        this.pages = pages;
        this.projects = projects;
        this.store = store;
        this.earliest = now.minus(lookback).truncatedTo(ChronoUnit.SECONDS);
    }

    static String watermarkKey(String project) {
        return "gitlab:" + project + ":updated";
    }

    static String etagKey(String project) {
        return "gitlab:" + project + ":etag";
    }

    @Override
    protected boolean fetchMore() {
        Map<String, String> headers = new LinkedHashMap<>();
        if (next == null) {
            if (index >= projects.size()) {
                return false;
            }
            project = projects.get(index++).strip();
            encodedProject = encode(project);
            Optional<Instant> watermark = Watermarks.get(cursors, sourceId, watermarkKey(project));
            Instant since = watermark.orElse(earliest);
            if (watermark.isEmpty()) {
                // Until a pipeline is seen, ask from the same instant each time (the same URL, so a conditional request).
                cursors.put(sourceId, watermarkKey(project), since.toString());
            }
            firstUrl = pages.client().resolve("api/v4/projects/" + encodedProject
                    + "/pipelines?per_page=100&order_by=updated_at&sort=asc&updated_after=" + encode(since.toString()))
                    .toString();
            next = URI.create(firstUrl);
            page = 1;
            etag = null;
            listHadRuns = false;
            headers.putAll(conditional(etagKey(project), firstUrl));
        }
        PageFetcher.Fetched fetched = pages.fetch(next, headers, "gitlab-ci-page", JsonNode::isArray, "a JSON array of pipelines");
        if (fetched.notModified()) {
            next = null;
            return true;
        }
        if (page == 1) {
            etag = fetched.response().etag().orElse(null);
        }
        int position = 0;
        String configured = project;
        for (JsonNode listed : fetched.body()) {
            position++;
            String location = "GET /api/v4/projects/" + encodedProject + "/pipelines page " + page + " #" + position
                    + idSuffix(listed, "id");
            JsonNode document = listed;
            JsonNode id = listed.get("id");
            Instant updated = instantOrNull(listed, "updated_at");
            if (id != null && id.isIntegralNumber() && !WAITING.contains(listed.path("status").asString(""))) {
                Optional<Instant> stored = store.upstreamUpdatedAt(sourceId, id.asString(), 1);
                if (stored.isPresent() && updated != null && stored.get().equals(updated)) {
                    continue;
                }
                JsonNode detail = pages.optionalRecord(pages.client().resolve("api/v4/projects/" + encodedProject
                        + "/pipelines/" + id.asString()), Map.of(), "gitlab-ci-pipeline");
                if (detail != null) {
                    document = detail;
                }
            }
            add(new CollectedRun(sourceId, "gitlab-ci-pipeline", location, document,
                    doc -> GitLabPipelineMapper.map(sourceId, doc, configured), watermarkKey(configured), updated, Map.of()));
            listHadRuns = true;
        }
        next = nextPage(fetched);
        page++;
        if (next == null && etag != null) {
            closeList(Map.of(etagKey(project), etagValue(etag, firstUrl)), listHadRuns);
        }
        return true;
    }

    private URI nextPage(PageFetcher.Fetched fetched) {
        Optional<String> nextPage = fetched.response().header("X-Next-Page").map(String::strip).filter(s -> !s.isEmpty());
        if (nextPage.isPresent() && nextPage.get().matches("\\d{1,9}")) {
            return URI.create(firstUrl + "&page=" + nextPage.get());
        }
        return fetched.response().nextLink().orElse(null);
    }
}

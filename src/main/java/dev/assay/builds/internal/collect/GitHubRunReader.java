package dev.assay.builds.internal.collect;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.assay.builds.internal.GitHubRunMapper;
import dev.assay.builds.internal.RunStore;
import dev.assay.collect.Cursors;
import dev.assay.collect.http.PageFetcher;
import tools.jackson.databind.JsonNode;

/**
 * Reads the workflow runs of each configured repository: {@code GET /repos/{owner}/{repo}/actions/runs}
 * with {@code per_page=100} and {@code created=>=<since>}, following the {@code Link} header's
 * {@code rel="next"}. {@code since} is the newest creation time collected last time, pulled back to
 * the oldest run that was not completed then (it may have finished since), or the {@code lookback}
 * on the first collection. The first page is asked with the ETag of last time: an unchanged list
 * answers 304 and costs nothing. GitHub lists newest first, so the watermark and ETag commit with
 * the last run of the list, never before older runs are stored.
 */
class GitHubRunReader extends RunListReader {

    static final Map<String, String> HEADERS = Map.of("Accept", "application/vnd.github+json", "X-GitHub-Api-Version",
            "2022-11-28");

    private final PageFetcher pages;
    private final List<String> repositories;
    private final RunStore store;
    private final Instant earliest;

    private int index;
    private String repository;
    private URI next;
    private String firstUrl;
    private String etag;
    private int page;
    private Instant since;
    private Instant newestCreated;
    private boolean listHadRuns;

    GitHubRunReader(String sourceId, PageFetcher pages, List<String> repositories, Cursors cursors, RunStore store,
            Instant now, Duration lookback) {
        super(sourceId, cursors);
        this.pages = pages;
        this.repositories = repositories;
        this.store = store;
        this.earliest = now.minus(lookback).truncatedTo(ChronoUnit.SECONDS);
        for (String repo : repositories) {
            if (!repo.matches("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")) {
                throw new IllegalArgumentException("Source '" + sourceId + "': repository '" + repo + "' is not owner/name");
            }
        }
    }

    static String watermarkKey(String repository) {
        return "github:" + repository + ":created";
    }

    static String etagKey(String repository) {
        return "github:" + repository + ":etag";
    }

    @Override
    protected boolean fetchMore() {
        Map<String, String> headers = new LinkedHashMap<>(HEADERS);
        if (next == null) {
            if (index >= repositories.size()) {
                return false;
            }
            repository = repositories.get(index++);
            since = since();
            firstUrl = pages.client().resolve("repos/" + repository + "/actions/runs?per_page=100&created="
                    + encode(">=" + since)).toString();
            next = URI.create(firstUrl);
            page = 1;
            newestCreated = null;
            listHadRuns = false;
            etag = null;
            headers.putAll(conditional(etagKey(repository), firstUrl));
        }
        PageFetcher.Fetched fetched = pages.fetch(next, headers, "github-actions-page",
                p -> p.path("workflow_runs").isArray(), "an object with a 'workflow_runs' array");
        if (fetched.notModified()) {
            next = null;
            return true;
        }
        if (page == 1) {
            etag = fetched.response().etag().orElse(null);
        }
        int position = 0;
        String repo = repository;
        for (JsonNode run : fetched.body().path("workflow_runs")) {
            position++;
            Instant created = instantOrNull(run, "created_at");
            if (created != null && (newestCreated == null || created.isAfter(newestCreated))) {
                newestCreated = created;
            }
            add(new CollectedRun(sourceId, "github-actions-run", "GET /repos/" + repo + "/actions/runs page " + page + " #"
                    + position + idSuffix(run, "id"), run, doc -> GitHubRunMapper.map(sourceId, doc, repo), null, null,
                    Map.of()));
            listHadRuns = true;
        }
        next = fetched.response().nextLink().orElse(null);
        page++;
        if (next == null) {
            Map<String, String> close = new LinkedHashMap<>();
            Instant previous = watermark();
            if (newestCreated != null) {
                close.put(watermarkKey(repository),
                        (previous != null && previous.isAfter(newestCreated) ? previous : newestCreated).toString());
            } else if (previous == null) {
                // Nothing since 'since': ask from there again next time (the same URL, so a conditional request).
                close.put(watermarkKey(repository), since.toString());
            }
            if (etag != null) {
                close.put(etagKey(repository), etagValue(etag, firstUrl));
            }
            closeList(close, listHadRuns);
        }
        return true;
    }

    private Instant watermark() {
        return dev.assay.collect.Watermarks.get(cursors, sourceId, watermarkKey(repository)).orElse(null);
    }

    private Instant since() {
        Instant watermark = watermark();
        if (watermark == null) {
            return earliest;
        }
        Instant since = watermark;
        Instant unfinished = store.oldestUnfinished(sourceId, repository).orElse(null);
        if (unfinished != null && unfinished.isBefore(since)) {
            since = unfinished.isBefore(earliest) ? earliest : unfinished;
        }
        return since.truncatedTo(ChronoUnit.SECONDS);
    }
}

package dev.assay.builds.internal.collect;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;

import org.springframework.batch.infrastructure.item.ItemReader;

import dev.assay.collect.Cursors;
import tools.jackson.databind.JsonNode;

/**
 * What the three CI readers share: a buffer of runs filled page by page, the cursors that close a
 * list (committed with its last run), and the ETag of a list's first page for a conditional request
 * next time. The ETag is kept with the URL it belongs to: a list asked with another filter is
 * asked unconditionally.
 */
abstract class RunListReader implements ItemReader<CollectedRun> {

    protected final String sourceId;
    protected final Cursors cursors;
    private final Deque<CollectedRun> buffer = new ArrayDeque<>();

    RunListReader(String sourceId, Cursors cursors) {
        this.sourceId = sourceId;
        this.cursors = cursors;
    }

    @Override
    public CollectedRun read() {
        while (buffer.isEmpty()) {
            if (!fetchMore()) {
                return null;
            }
        }
        return buffer.poll();
    }

    /** Reads the next page into the buffer (which may stay empty); false when there is nothing more. */
    protected abstract boolean fetchMore();

    protected void add(CollectedRun run) {
        buffer.add(run);
    }

    /**
     * Commits cursors when a list is read to its end: with the last run of it still in the buffer,
     * so they commit in that run's chunk, or at once when the list had no run left to carry them.
     */
    protected void closeList(Map<String, String> values, boolean listHadRuns) {
        if (values.isEmpty()) {
            return;
        }
        CollectedRun last = buffer.peekLast();
        if (listHadRuns && last != null) {
            buffer.removeLast();
            buffer.add(last.withCursorsAfter(values));
        } else {
            values.forEach((key, value) -> cursors.put(sourceId, key, value));
        }
    }

    /** The {@code If-None-Match} for a list's first page, when the stored ETag is for this very URL. */
    protected Map<String, String> conditional(String etagKey, String url) {
        Optional<String> stored = cursors.get(sourceId, etagKey);
        if (stored.isEmpty()) {
            return Map.of();
        }
        int space = stored.get().indexOf(' ');
        if (space <= 0 || !stored.get().substring(space + 1).equals(url)) {
            return Map.of();
        }
        return Map.of("If-None-Match", stored.get().substring(0, space));
    }

    protected static String etagValue(String etag, String url) {
        return etag + " " + url;
    }

    protected static Instant instantOrNull(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || !value.isString()) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(value.asString()).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    protected static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    protected static String idSuffix(JsonNode run, String field) {
        JsonNode id = run == null ? null : run.get(field);
        return id == null || id.isNull() || id.isContainer() ? "" : " (id " + id.asString() + ")";
    }
}

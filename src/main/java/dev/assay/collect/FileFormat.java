package dev.assay.collect;

import java.util.List;

/**
 * A document format that a {@code files} source can import (Backstage catalog YAML, CODEOWNERS,
 * CycloneDX, ...), contributed by the feature that owns the facts it carries.
 *
 * @param <T> the parsed, validated record that {@link #store} writes
 */
public interface FileFormat<T> {

    /** Short stable name, shown in quarantine rows and job summaries. */
    String name();

    /** Whether a file is in this format, judged from its name and content. */
    boolean recognises(String fileName, String content);

    /** Splits a file into the documents it holds (one, unless the format allows several). */
    default List<String> documents(String content) {
        return List.of(content);
    }

    /**
     * Parses and validates one document.
     *
     * @param location where it came from, e.g. {@code demo/catalog/payments.yaml#2}
     * @throws RecordRejectedException with a reason a person can act on
     */
    T parse(String document, String fileName, String location) throws RecordRejectedException;

    /** Writes parsed records idempotently (upserts keyed by natural key), inside the chunk's transaction. */
    void store(String sourceId, List<T> records);
}

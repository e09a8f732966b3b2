package dev.assay.collect.ingest;

import dev.assay.collect.RecordRejectedException;

/**
 * Push ingestion of one kind ({@code sbom}, {@code scan}, {@code provenance}, {@code signature},
 * {@code incident}, {@code pipeline-run}, {@code deployment}), contributed by the feature that owns
 * it. It maps and stores through the same code as that feature's collector.
 */
public interface IngestHandler {

    String kind();

    /**
     * Maps and stores the document.
     *
     * @return the stored record's identity (an id, a digest, an external key), echoed to the caller
     * @throws RecordRejectedException the document cannot be parsed or mapped: answered 400 with the
     *                                 reason, and the document is quarantined
     */
    String ingest(IngestRequest request) throws RecordRejectedException;
}

/** Push ingestion: features contribute IngestHandlers. A named interface of the collect module. */
@org.springframework.modulith.NamedInterface("ingest")
package dev.assay.collect.ingest;

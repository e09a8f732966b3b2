package dev.assay.collect.ingest;

/**
 * A document pushed to {@code POST /api/v1/ingest/{kind}}, exactly as the tool wrote it.
 *
 * @param format   the {@code ?format=} the caller named, or null to detect it
 * @param artifact the {@code ?artifact=<repository>@<digest>} the caller named, or null
 * @param actor    who pushed it ({@code token:<name>} or a username)
 */
public record IngestRequest(String kind, String format, String artifact, String contentType, String body, String actor) {
}

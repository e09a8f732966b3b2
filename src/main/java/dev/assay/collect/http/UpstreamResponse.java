package dev.assay.collect.http;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.Optional;

/**
 * One answer from an upstream API. {@code notModified} is true for a 304 to a conditional request:
 * the body is empty and the caller keeps what it stored last time.
 */
public record UpstreamResponse(URI uri, int status, HttpHeaders headers, String body) {

    public boolean notModified() {
        return status == 304;
    }

    public Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    public Optional<String> etag() {
        return header("ETag");
    }

    /** The {@code rel="next"} target of an RFC 8288 {@code Link} header, resolved against this response's URI. */
    public Optional<URI> nextLink() {
        return header("Link").flatMap(LinkHeader::next).map(uri::resolve);
    }
}

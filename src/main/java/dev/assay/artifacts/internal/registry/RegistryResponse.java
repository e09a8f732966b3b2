package dev.assay.artifacts.internal.registry;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import dev.assay.collect.http.LinkHeader;

/** One answer of a registry: status, headers and the body's exact bytes (digests are computed over them). */
public record RegistryResponse(URI uri, int status, HttpHeaders headers, byte[] body) {

    public Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The next page of a {@code Link: <…>; rel="next"} header, resolved against this answer's URI. */
    public Optional<URI> nextLink() {
        return header("Link").flatMap(LinkHeader::next).map(uri::resolve);
    }
}

package dev.assay.collect.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.assay.collect.Quarantine;
import dev.assay.collect.RecordRejectedException;
import dev.assay.common.ApiController;

/**
 * {@code POST /api/v1/ingest/{kind}}: push ingestion for CI steps and webhooks (DESIGN §4). The body
 * is size-capped (413), must be a text document type (415), and a document its handler rejects is
 * answered 400 with the reason and kept in quarantine, like a collected one.
 */
@ApiController
class IngestApiController {

    static final Set<String> KINDS = Set.of("sbom", "scan", "provenance", "signature", "incident", "pipeline-run", "deployment");
    private static final Set<String> ACCEPTED_TYPES = Set.of("application/json", "application/xml", "text/xml",
            "application/yaml", "application/x-yaml", "text/yaml", "text/plain", "application/octet-stream");

    private final Map<String, IngestHandler> handlers;
    private final Quarantine quarantine;
    private final long maxBytes;

    IngestApiController(List<IngestHandler> handlers, Quarantine quarantine,
            @Value("${assay.collect.ingest.max-bytes:10485760}") long maxBytes) {
        this.handlers = handlers.stream().collect(Collectors.toMap(IngestHandler::kind, Function.identity()));
        this.quarantine = quarantine;
        this.maxBytes = maxBytes;
    }

    @PostMapping("/api/v1/ingest/{kind}")
    ResponseEntity<?> ingest(@PathVariable String kind, @RequestParam(required = false) String format,
            @RequestParam(required = false) String artifact, HttpServletRequest request, Principal principal)
            throws IOException {
        if (!KINDS.contains(kind)) {
            return problem(HttpStatus.NOT_FOUND, "Unknown ingest kind '" + kind + "'; kinds: " + KINDS);
        }
        IngestHandler handler = handlers.get(kind);
        if (handler == null) {
            return problem(HttpStatus.NOT_IMPLEMENTED, "Ingestion of '" + kind + "' is not built in this version of Assay yet");
        }
        String contentType = request.getContentType();
        if (contentType != null && !ACCEPTED_TYPES.contains(MediaType.parseMediaType(contentType).getType() + "/"
                + MediaType.parseMediaType(contentType).getSubtype())
                && !MediaType.parseMediaType(contentType).getSubtype().endsWith("+json")
                && !MediaType.parseMediaType(contentType).getSubtype().endsWith("+xml")) {
            return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type " + contentType
                    + " is not accepted; send the document as the tool wrote it (JSON, XML, YAML or text)");
        }
        String encoding = request.getHeader("Content-Encoding");
        if (encoding != null && !encoding.isBlank() && !"identity".equalsIgnoreCase(encoding.strip())) {
            // Compressed bodies are refused rather than inflated: the size limit applies to what is stored.
            return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Encoding " + encoding.strip()
                    + " is not accepted; send the document uncompressed");
        }
        if (request.getContentLengthLong() > maxBytes) {
            return problem(HttpStatus.CONTENT_TOO_LARGE, "The document is larger than the limit of " + maxBytes + " bytes");
        }
        byte[] bytes;
        try (InputStream in = request.getInputStream()) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        }
        if (bytes.length > maxBytes) {
            return problem(HttpStatus.CONTENT_TOO_LARGE, "The document is larger than the limit of " + maxBytes + " bytes");
        }
        if (bytes.length == 0) {
            return problem(HttpStatus.BAD_REQUEST, "The request has no body");
        }
        String body = new String(bytes, StandardCharsets.UTF_8);
        IngestRequest ingest = new IngestRequest(kind, format, artifact, contentType, body, principal.getName());
        try {
            String id = handler.ingest(ingest);
            return ResponseEntity.accepted().body(Map.of("kind", kind, "id", id));
        } catch (RecordRejectedException | IllegalArgumentException e) {
            quarantine.hold("ingest:" + kind, kind, "ingest by " + principal.getName()
                    + (artifact == null ? "" : " for " + artifact), body, e.getMessage(), null);
            return problem(HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(ProblemDetail.forStatusAndDetail(status, detail));
    }
}

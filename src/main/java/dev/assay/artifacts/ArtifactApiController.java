package dev.assay.artifacts;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

import dev.assay.artifacts.internal.parse.ArtifactRef;
import dev.assay.common.ApiController;
import dev.assay.common.CsvNegotiation;
import dev.assay.common.PageRequest;

/**
 * {@code GET /api/v1/artifacts} (paged, filtered by team, service, source and repository; CSV with
 * {@code .csv} or {@code Accept: text/csv}) and {@code GET /api/v1/artifacts/{digest}}.
 */
@ApiController
class ArtifactApiController {

    private final ArtifactQueries queries;

    ArtifactApiController(ArtifactQueries queries) {
        this.queries = queries;
    }

    @GetMapping({"/api/v1/artifacts", "/api/v1/artifacts.csv"})
    ResponseEntity<?> list(@RequestParam(required = false) String team, @RequestParam(required = false) String service,
            @RequestParam(required = false) String source, @RequestParam(required = false) String repository,
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size, HttpServletRequest request) {
        var result = queries.list(team, service, source, repository, PageRequest.of(page, size));
        if (CsvNegotiation.wantsCsv(request)) {
            return CsvNegotiation.csv("artifacts", List.of("digest", "repositories", "tags", "published_at", "signed",
                    "signed_unverified", "signature_status", "scanned", "last_scanned_at", "sbom", "provenance"), result.items(),
                    a -> List.of(a.digest(), String.join(" ", a.repositories()), String.join(" ", a.tags()), a.publishedAt().toString(),
                            a.signed(), a.signedUnverified(), a.signatureStatus() == null ? "" : a.signatureStatus(), a.scanned(),
                            a.lastScannedAt() == null ? "" : a.lastScannedAt().toString(), a.sbom(), a.provenance()));
        }
        return ResponseEntity.ok(result);
    }

    @GetMapping("/api/v1/artifacts/{digest}")
    ArtifactDetail detail(@PathVariable String digest) {
        if (!ArtifactRef.isDigest(digest)) {
            throw new IllegalArgumentException("'" + digest + "' is not a digest (sha256:<64 hex>)");
        }
        return queries.detail(digest).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No artifact " + digest));
    }

    @org.springframework.web.bind.annotation.ExceptionHandler(ResponseStatusException.class)
    org.springframework.http.ProblemDetail status(ResponseStatusException e) {
        return org.springframework.http.ProblemDetail.forStatusAndDetail(e.getStatusCode(), e.getReason());
    }
}

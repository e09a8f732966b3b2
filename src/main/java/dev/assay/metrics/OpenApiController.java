package dev.assay.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;

import dev.assay.common.ApiController;

/**
 * {@code GET /api/v1/openapi.yaml}: the OpenAPI 3.1 document of the metrics API, written by hand
 * ({@code src/main/resources/api/openapi.yaml}) and kept equal to the controller mappings by a test.
 */
@ApiController
class OpenApiController {

    static final String DOCUMENT = "api/openapi.yaml";
    private static final MediaType YAML = new MediaType("application", "yaml", StandardCharsets.UTF_8);

    private final String document;

    OpenApiController() throws IOException {
        try (InputStream in = new ClassPathResource(DOCUMENT).getInputStream()) {
            this.document = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @GetMapping("/api/v1/openapi.yaml")
    ResponseEntity<String> openApi() {
        return ResponseEntity.ok().contentType(YAML).body(document);
    }
}

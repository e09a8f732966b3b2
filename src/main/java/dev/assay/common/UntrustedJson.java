package dev.assay.common;

import org.springframework.stereotype.Component;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parses collected JSON, which is untrusted: nesting deeper than {@value #MAX_DEPTH} levels, a
 * single string over 16 MiB or a number over 1,000 digits is refused with a clear message before
 * it can exhaust the stack or memory. Every collector and ingest handler parses through this.
 */
@Component
public class UntrustedJson {

    public static final int MAX_DEPTH = 200;

    private final JsonMapper mapper = JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(16 * 1024 * 1024)
                    .maxNumberLength(1_000)
                    .build())
            .build()).build();

    /**
     * @throws IllegalArgumentException with the parser's message when the text is not acceptable JSON
     */
    public JsonNode readTree(String json) {
        try {
            JsonNode node = mapper.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw new IllegalArgumentException("the document is empty");
            }
            return node;
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage());
        }
    }

    public JsonMapper mapper() {
        return mapper;
    }
}

package dev.assay.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.MethodParameter;
import org.springframework.core.io.ClassPathResource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.yaml.snakeyaml.Yaml;

import dev.assay.AssayIntegrationTest;

/**
 * The hand-written OpenAPI document is served and says what the controllers do: the same paths
 * under {@code /api/v1/metrics} (and the document's own), the same parameters, and the same metric
 * names as {@code MetricsApiController.DEFINED}.
 */
@AssayIntegrationTest
class OpenApiDocumentTests {

    @Autowired MockMvc mvc;
    @Autowired @Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mappings;

    @Test
    void theDocumentIsServedToAnyReader() throws Exception {
        String body = mvc.perform(get("/api/v1/openapi.yaml").with(user("exec").roles("EXECUTIVE")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(body).startsWith("openapi: 3.1.0").contains("/api/v1/metrics/{metric}:");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theDocumentMatchesTheControllerMappings() throws Exception {
        Map<String, Object> document;
        try (InputStream in = new ClassPathResource(OpenApiController.DOCUMENT).getInputStream()) {
            document = new Yaml().load(in);
        }
        Map<String, Object> paths = (Map<String, Object>) document.get("paths");
        Map<String, Set<String>> documented = new TreeMap<>();
        paths.forEach((path, item) -> {
            Map<String, Object> get = (Map<String, Object>) ((Map<String, Object>) item).get("get");
            Set<String> parameters = new TreeSet<>();
            for (Object parameter : (List<Object>) get.getOrDefault("parameters", List.of())) {
                parameters.add((String) ((Map<String, Object>) parameter).get("name"));
            }
            documented.put(path, parameters);
        });
        Map<String, Set<String>> mapped = new TreeMap<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mappings.getHandlerMethods().entrySet()) {
            for (String pattern : entry.getKey().getPatternValues()) {
                if (pattern.startsWith("/api/v1/metrics") || pattern.equals("/api/v1/openapi.yaml")) {
                    Set<String> parameters = new TreeSet<>();
                    for (MethodParameter parameter : entry.getValue().getMethodParameters()) {
                        RequestParam query = parameter.getParameterAnnotation(RequestParam.class);
                        PathVariable path = parameter.getParameterAnnotation(PathVariable.class);
                        if (query != null) {
                            parameters.add(query.name().isEmpty() ? parameter.getParameterName() : query.name());
                        }
                        if (path != null) {
                            parameters.add(path.name().isEmpty() ? parameter.getParameterName() : path.name());
                        }
                    }
                    mapped.put(pattern, parameters);
                }
            }
        }
        assertThat(documented).isEqualTo(mapped);
        Map<String, Object> metricGet = (Map<String, Object>) ((Map<String, Object>) paths.get("/api/v1/metrics/{metric}")).get("get");
        Map<String, Object> metricParameter = (Map<String, Object>) ((List<Object>) metricGet.get("parameters")).get(0);
        List<String> names = (List<String>) ((Map<String, Object>) metricParameter.get("schema")).get("enum");
        assertThat(new TreeSet<>(names)).isEqualTo(new TreeSet<>(MetricsApiController.DEFINED));
    }
}

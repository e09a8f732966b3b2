package dev.assay.collect.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Component;

import dev.assay.collect.SourceDefinition;
import tools.jackson.core.JacksonException;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads and validates the sources file. A broken sources file stops the start with a message
 * naming the entry and the problem: running with half the sources silently missing is worse.
 */
@Component
public class SourcesFileReader {

    public static final Set<String> KNOWN_TYPES = Set.of("github-actions", "gitlab-ci", "jenkins", "oci-registry",
            "pagerduty", "opsgenie", "jira", "files");

    private static final Logger log = LoggerFactory.getLogger(SourcesFileReader.class);
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,99}");
    private static final Set<String> COMMON_KEYS = Set.of("id", "type", "base-url", "token-env", "schedule");

    private final String configuredFile;
    private final ResourceLoader resources;

    SourcesFileReader(@Value("${assay.sources-file:}") String configuredFile, ResourceLoader resources) {
        this.configuredFile = configuredFile;
        this.resources = resources;
    }

    public List<SourceDefinition> read() {
        Resource file = locate();
        String base = baseLocation(file);
        log.info("Reading sources from {}", file.getDescription());
        Map<?, ?> root;
        try (InputStream in = file.getInputStream()) {
            root = YAMLMapper.builder().build().readValue(in, Map.class);
        } catch (IOException | JacksonException e) {
            throw new IllegalStateException("Cannot read sources file " + file.getDescription() + ": " + e.getMessage(), e);
        }
        if (root == null || !(root.get("sources") instanceof List<?> entries)) {
            throw new IllegalStateException("Sources file " + file.getDescription() + " must have a top-level 'sources' list");
        }
        List<SourceDefinition> sources = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Object entry : entries) {
            if (!(entry instanceof Map<?, ?> map)) {
                throw new IllegalStateException("Each source must be a mapping, found: " + entry);
            }
            SourceDefinition source = toDefinition(map, base);
            if (!ids.add(source.id())) {
                throw new IllegalStateException("Source id '" + source.id() + "' appears twice");
            }
            sources.add(source);
        }
        return sources;
    }

    private Resource locate() {
        if (configuredFile != null && !configuredFile.isBlank()) {
            Resource file = new FileSystemResource(configuredFile);
            if (!file.exists()) {
                throw new IllegalStateException("ASSAY_SOURCES_FILE names " + configuredFile + ", which does not exist");
            }
            return file;
        }
        Resource local = new FileSystemResource("batch-jobs/sources.yml");
        return local.exists() ? local : resources.getResource("classpath:batch-jobs/sources.yml");
    }

    private static String baseLocation(Resource file) {
        if (file instanceof FileSystemResource fs) {
            return "file:" + fs.getFile().getAbsoluteFile().getParentFile().toPath() + "/";
        }
        return "classpath:batch-jobs/";
    }

    private static SourceDefinition toDefinition(Map<?, ?> map, String base) {
        String id = text(map, "id");
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalStateException("Source id '" + id + "' must be lower-case letters, digits and dashes");
        }
        String type = text(map, "type");
        if (type == null || !KNOWN_TYPES.contains(type)) {
            throw new IllegalStateException("Source '" + id + "' has type '" + type + "'; known types: " + KNOWN_TYPES);
        }
        String schedule = text(map, "schedule");
        if (schedule != null && !CronExpression.isValidExpression(schedule)) {
            throw new IllegalStateException("Source '" + id + "' has schedule '" + schedule
                    + "', which is not a Spring cron expression (six fields, seconds first, or a macro such as @daily)");
        }
        Map<String, Object> options = new LinkedHashMap<>();
        map.forEach((key, value) -> {
            if (!COMMON_KEYS.contains(String.valueOf(key))) {
                options.put(String.valueOf(key), value);
            }
        });
        return new SourceDefinition(id, type, text(map, "base-url"), text(map, "token-env"), schedule, options, base);
    }

    private static String text(Map<?, ?> map, String key) {
        Object value = map.get(key);
        return value == null ? null : String.valueOf(value);
    }
}

package dev.assay.collect;

import java.util.List;
import java.util.Map;

/**
 * One entry of {@code sources.yml}: where facts are collected from. Credentials are never here:
 * {@code tokenEnv} is the NAME of the environment variable that holds the token.
 *
 * @param baseLocation the folder of the sources file as a Spring resource location
 *                     ({@code file:/srv/assay/batch-jobs/} or {@code classpath:batch-jobs/}), against
 *                     which relative {@code paths} resolve
 */
public record SourceDefinition(String id, String type, String baseUrl, String tokenEnv, String schedule,
        Map<String, Object> options, String baseLocation) {

    public SourceDefinition {
        options = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
    }

    /** A list-valued option such as {@code paths} or {@code repositories}; a single string is a list of one. */
    public List<String> listOption(String key) {
        Object value = options.get(key);
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return List.of(String.valueOf(value));
    }
}

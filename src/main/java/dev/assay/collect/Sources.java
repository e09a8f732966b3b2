package dev.assay.collect;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.stereotype.Service;

import dev.assay.collect.internal.SourcesFileReader;

/** The configured sources, read once at start from {@code sources.yml} (or {@code ASSAY_SOURCES_FILE}). */
@Service
public class Sources {

    private final Map<String, SourceDefinition> byId;

    Sources(SourcesFileReader reader) {
        this.byId = reader.read().stream()
                .collect(Collectors.toMap(SourceDefinition::id, Function.identity(), (a, b) -> a,
                        java.util.LinkedHashMap::new));
    }

    public List<SourceDefinition> all() {
        return List.copyOf(byId.values());
    }

    public Optional<SourceDefinition> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }
}

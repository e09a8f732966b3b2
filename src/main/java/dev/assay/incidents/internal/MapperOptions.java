package dev.assay.incidents.internal;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import dev.assay.collect.SourceDefinition;

/**
 * What every mapper needs to know about its source besides the document.
 *
 * @param baseUrl     where links to the upstream's own pages start (Jira: {@code /browse/KEY}), or null
 * @param drillLabels labels / tags that mark an exercise (DESIGN §5: drills never count in
 *                    production MTTx); a title containing {@code [drill]} marks one too
 */
public record MapperOptions(String sourceId, String baseUrl, Set<String> drillLabels) {

    public static final List<String> DEFAULT_DRILL_LABELS = List.of("drill", "game-day", "gameday");

    /**
     * @param linkBase the web address incidents link to (the {@code ui-url} option or the base URL), or null
     */
    public static MapperOptions of(SourceDefinition source, String linkBase) {
        List<String> labels = source.listOption("drill-labels");
        return new MapperOptions(source.id(), linkBase,
                (labels.isEmpty() ? DEFAULT_DRILL_LABELS : labels).stream()
                        .map(l -> l.strip().toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet()));
    }

    public static MapperOptions forPush(String sourceId, String baseUrl) {
        return new MapperOptions(sourceId, baseUrl, Set.copyOf(DEFAULT_DRILL_LABELS));
    }

    boolean isDrill(String title, List<String> labels) {
        if (title != null && title.toLowerCase(Locale.ROOT).contains("[drill]")) {
            return true;
        }
        return labels.stream().anyMatch(l -> drillLabels.contains(l.strip().toLowerCase(Locale.ROOT)));
    }
}

package dev.assay.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

import dev.assay.catalog.internal.BackstageEntityParser;
import dev.assay.catalog.internal.CatalogEntity;
import dev.assay.catalog.internal.CatalogStore;
import dev.assay.collect.FileFormat;
import dev.assay.collect.RecordRejectedException;

/**
 * Backstage catalog descriptors ({@code catalog-info.yaml}), one entity per YAML document, as a
 * {@code files} source format. Each document is validated on its own: a broken one is quarantined
 * and the others in the same file are imported.
 */
@Component
class BackstageCatalogFormat implements FileFormat<CatalogEntity> {

    /** A document marker at the start of a line always separates YAML documents, even after a block scalar. */
    private static final Pattern DOCUMENT_MARKER = Pattern.compile("(?m)^---(?:[ \\t].*)?$");
    private static final Pattern API_VERSION = Pattern.compile("(?m)^apiVersion:\\s*['\"]?backstage\\.io/");

    private final BackstageEntityParser parser = new BackstageEntityParser();
    private final CatalogStore store;

    BackstageCatalogFormat(CatalogStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "backstage";
    }

    @Override
    public boolean recognises(String fileName, String content) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        return (lower.endsWith(".yaml") || lower.endsWith(".yml")) && API_VERSION.matcher(content).find();
    }

    @Override
    public List<String> documents(String content) {
        List<String> documents = new ArrayList<>();
        for (String part : DOCUMENT_MARKER.split(content)) {
            if (hasContent(part)) {
                documents.add(part.strip());
            }
        }
        return documents;
    }

    @Override
    public CatalogEntity parse(String document, String fileName, String location) throws RecordRejectedException {
        return parser.parse(document);
    }

    @Override
    public void store(String sourceId, List<CatalogEntity> records) {
        store.storeEntities(sourceId, records);
    }

    /** Whether a document holds anything but comments and blank lines (a file often starts with a comment). */
    private static boolean hasContent(String part) {
        return part.lines().map(String::strip).anyMatch(line -> !line.isEmpty() && !line.startsWith("#")
                && !line.equals("..."));
    }
}

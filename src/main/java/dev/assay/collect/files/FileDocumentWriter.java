package dev.assay.collect.files;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

import dev.assay.collect.Cursors;
import dev.assay.collect.FileFormat;

/**
 * Stores a chunk of parsed documents through their formats, then advances the cursor of every
 * file whose last document is in the chunk: all in the chunk's one transaction.
 */
class FileDocumentWriter implements ItemWriter<ParsedDocument> {

    private final Cursors cursors;

    FileDocumentWriter(Cursors cursors) {
        this.cursors = cursors;
    }

    @Override
    public void write(Chunk<? extends ParsedDocument> chunk) {
        Map<FileFormat<?>, List<Object>> byFormat = new LinkedHashMap<>();
        String sourceId = null;
        for (ParsedDocument parsed : chunk) {
            sourceId = parsed.document().sourceId();
            if (parsed.record() != null) {
                byFormat.computeIfAbsent(parsed.document().format(), f -> new ArrayList<>()).add(parsed.record());
            }
        }
        for (var entry : byFormat.entrySet()) {
            store(entry.getKey(), sourceId, entry.getValue());
        }
        for (ParsedDocument parsed : chunk) {
            if (parsed.document().last()) {
                cursors.put(parsed.document().sourceId(), parsed.document().fileKey(), parsed.document().fileSha256());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void store(FileFormat<T> format, String sourceId, List<Object> records) {
        format.store(sourceId, (List<T>) records);
    }
}

package dev.assay.collect.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.batch.infrastructure.item.ItemReader;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.ResourcePatternResolver;

import dev.assay.collect.Cursors;
import dev.assay.collect.FileFormat;
import dev.assay.collect.SourceDefinition;

/**
 * Lists the files matched by a source's {@code paths} globs (sorted, so runs are repeatable), skips
 * those whose content hash equals the cursor of the last successful import, and hands out their
 * documents one at a time. A restart simply lists again: files whose chunk committed are skipped
 * by their cursor, and every write is an upsert, so nothing is stored twice.
 */
class FileDocumentReader implements ItemReader<FileDocument> {

    static final String CURSOR_PREFIX = "file:";

    private final SourceDefinition source;
    private final ResourcePatternResolver resolver;
    private final List<FileFormat<?>> formats;
    private final Cursors cursors;
    private final long maxFileBytes;
    private Deque<Resource> files;
    private final Deque<FileDocument> pending = new ArrayDeque<>();
    private Map<String, String> knownHashes;

    FileDocumentReader(SourceDefinition source, ResourcePatternResolver resolver, List<FileFormat<?>> formats,
            Cursors cursors, long maxFileBytes) {
        this.source = source;
        this.resolver = resolver;
        this.formats = formats;
        this.cursors = cursors;
        this.maxFileBytes = maxFileBytes;
    }

    @Override
    public FileDocument read() throws IOException {
        if (files == null) {
            files = new ArrayDeque<>(listFiles());
            knownHashes = cursors.all(source.id());
        }
        while (pending.isEmpty() && !files.isEmpty()) {
            enqueueDocumentsOf(files.poll());
        }
        return pending.poll();
    }

    private List<Resource> listFiles() throws IOException {
        Map<String, Resource> unique = new LinkedHashMap<>();
        for (String pattern : source.listOption("paths")) {
            String location = pattern.startsWith("/") ? "file:" + pattern : source.baseLocation() + pattern;
            for (Resource resource : resolver.getResources(location)) {
                if (resource.isReadable()) {
                    unique.putIfAbsent(resource.getURI().toString(), resource);
                }
            }
        }
        List<Resource> sorted = new ArrayList<>(unique.values());
        sorted.sort(Comparator.comparing(r -> uri(r)));
        return sorted;
    }

    private void enqueueDocumentsOf(Resource file) throws IOException {
        String key = CURSOR_PREFIX + relativeName(file);
        String fileName = file.getFilename() == null ? key : file.getFilename();
        byte[] bytes;
        try (InputStream in = file.getInputStream()) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxFileBytes + 1));
        }
        String hash = sha256(bytes);
        if (hash.equals(knownHashes.get(key))) {
            return;
        }
        String relative = relativeName(file);
        if (bytes.length > maxFileBytes) {
            String head = new String(Arrays.copyOf(bytes, (int) Math.min(bytes.length, 4096)), StandardCharsets.UTF_8);
            pending.add(new FileDocument(source.id(), key, fileName, relative, true, hash, head, null,
                    "file is larger than the limit of " + maxFileBytes + " bytes"));
            return;
        }
        String content = new String(bytes, StandardCharsets.UTF_8);
        FileFormat<?> format = formats.stream().filter(f -> f.recognises(fileName, content)).findFirst().orElse(null);
        List<String> documents = format == null ? List.of(content) : format.documents(content);
        if (documents.isEmpty()) {
            // An empty file still advances its cursor, through a document with nothing to store.
            pending.add(new FileDocument(source.id(), key, fileName, relative, true, hash, "", format, null));
            return;
        }
        for (int i = 0; i < documents.size(); i++) {
            String location = documents.size() == 1 ? relative : relative + "#" + (i + 1);
            pending.add(new FileDocument(source.id(), key, fileName, location, i == documents.size() - 1, hash,
                    documents.get(i), format, null));
        }
    }

    /** The file's path relative to the sources file's folder, as shown in quarantine rows and cursors. */
    private String relativeName(Resource file) {
        String uri = uri(file);
        String basePath = source.baseLocation().replaceFirst("^(file:|classpath\\*?:)", "");
        int at = uri.indexOf(basePath);
        return at < 0 ? uri : uri.substring(at + basePath.length());
    }

    private static String uri(Resource resource) {
        try {
            return resource.getURI().toString();
        } catch (IOException e) {
            return resource.getDescription();
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

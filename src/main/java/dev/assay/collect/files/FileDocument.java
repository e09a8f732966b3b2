package dev.assay.collect.files;

import dev.assay.collect.FileFormat;

/**
 * One document read from a file of a {@code files} source. A file may hold several (multi-document
 * YAML); {@code last} marks the one after which the file's cursor may advance.
 *
 * @param format the recognised format, or null when no contributed format recognises the file
 * @param rejection a reason found before parsing (the file is too large), else null
 */
record FileDocument(String sourceId, String fileKey, String fileName, String location, boolean last,
        String fileSha256, String content, FileFormat<?> format, String rejection) {
}

package dev.assay.collect.files;

/** A document its format accepted: the parsed record, ready to store. */
record ParsedDocument(FileDocument document, Object record) {
}

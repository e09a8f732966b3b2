package dev.assay.collect.files;

import org.springframework.batch.infrastructure.item.ItemProcessor;

import dev.assay.collect.Cursors;
import dev.assay.collect.Quarantine;
import dev.assay.collect.RecordRejectedException;

/**
 * Parses a document with its format. A document that cannot be parsed goes to quarantine with the
 * reason, and the step goes on with the rest; when it was the file's last document the file's
 * cursor still advances (the same bad bytes are not re-read until the file changes).
 */
class FileDocumentProcessor implements ItemProcessor<FileDocument, ParsedDocument> {

    private final Quarantine quarantine;
    private final Cursors cursors;
    private final long jobExecutionId;

    FileDocumentProcessor(Quarantine quarantine, Cursors cursors, long jobExecutionId) {
        this.quarantine = quarantine;
        this.cursors = cursors;
        this.jobExecutionId = jobExecutionId;
    }

    @Override
    public ParsedDocument process(FileDocument document) {
        if (document.content().isBlank() && document.rejection() == null) {
            return new ParsedDocument(document, null);
        }
        String reason = document.rejection();
        Object record = null;
        if (reason == null && document.format() == null) {
            reason = "no known format recognises " + document.fileName()
                    + " (expected Backstage catalog YAML, CODEOWNERS, or another format listed in docs/configuration.md)";
        }
        if (reason == null) {
            try {
                record = document.format().parse(document.content(), document.fileName(), document.location());
                if (record == null) {
                    reason = "the " + document.format().name() + " parser returned nothing";
                }
            } catch (RecordRejectedException e) {
                reason = e.getMessage();
            } catch (RuntimeException e) {
                reason = "unexpected parser failure: " + e;
            }
        }
        if (reason != null) {
            String kind = document.format() == null ? "unrecognised-file" : document.format().name();
            quarantine.hold(document.sourceId(), kind, document.location(), document.content(), reason, jobExecutionId);
            if (document.last()) {
                cursors.put(document.sourceId(), document.fileKey(), document.fileSha256());
            }
            return null;
        }
        return new ParsedDocument(document, record);
    }
}

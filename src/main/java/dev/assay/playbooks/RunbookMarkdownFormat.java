package dev.assay.playbooks;

import java.util.List;
import java.util.Optional;

import org.springframework.batch.core.scope.context.StepContext;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.stereotype.Component;

import dev.assay.collect.FileFormat;
import dev.assay.collect.Quarantine;
import dev.assay.collect.RecordRejectedException;
import dev.assay.playbooks.internal.RunbookDocumentParser;

/**
 * Runbook markdown files with YAML front matter as a {@code files} source format (schema in
 * docs/playbooks.md). A file is recognised by its {@code .md} name and a front matter naming
 * {@code runbook:}, or {@code title:} with {@code steps:} or {@code roles:}; one that then fails
 * validation is quarantined with the reason, and the other files are imported. The slug is the
 * front matter's {@code runbook:}, else the file name without {@code .md}.
 */
@Component
class RunbookMarkdownFormat implements FileFormat<RunbookMarkdownFormat.ImportedRunbook> {

    static final String NAME = "runbook";

    private final RunbookDocumentParser parser;
    private final Runbooks runbooks;
    private final Quarantine quarantine;

    RunbookMarkdownFormat(RunbookDocumentParser parser, Runbooks runbooks, Quarantine quarantine) {
        this.parser = parser;
        this.runbooks = runbooks;
        this.quarantine = quarantine;
    }

    /** A runbook file that parsed: where it came from, its exact text and what it says. */
    record ImportedRunbook(String location, String document, RunbookContent content) {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean recognises(String fileName, String content) {
        return RunbookDocumentParser.looksLikeRunbook(fileName, content);
    }

    @Override
    public ImportedRunbook parse(String document, String fileName, String location) throws RecordRejectedException {
        try {
            return new ImportedRunbook(location, document, parser.parse(document, RunbookDocumentParser.slugOfFileName(fileName)));
        } catch (InvalidRunbookException e) {
            throw new RecordRejectedException(e.getMessage());
        }
    }

    /**
     * Stores each runbook. A slug that another source imports is quarantined (two sources never
     * overwrite each other's runbook) and the rest are stored. Within one source a file naming an
     * existing slug from another path is taken as the runbook having moved.
     * <p>
     * The refusal is written to quarantine here, inside the chunk's transaction, rather than thrown
     * for the files job's write-skip path: Spring Batch 6.0.4's chunk scan rolls back the whole
     * scan transaction after a write skip (spring-batch#5361), which would lose the quarantine row
     * and the good runbooks of the same chunk.
     */
    @Override
    public void store(String sourceId, List<ImportedRunbook> records) {
        for (ImportedRunbook record : records) {
            String slug = record.content().slug();
            Optional<String> owner = runbooks.importingSource(slug);
            if (owner.isPresent() && !owner.get().equals(sourceId)) {
                quarantine.hold(sourceId, NAME, record.location(), record.document(), "runbook '" + slug
                        + "' is already imported by source '" + owner.get() + "'", currentJobExecutionId());
            } else {
                runbooks.importDocument(sourceId, record.location(), record.document(), record.content());
            }
        }
    }

    /** The job execution writing this chunk, so the quarantined file counts in its summary; null outside a step. */
    private static Long currentJobExecutionId() {
        StepContext step = StepSynchronizationManager.getContext();
        return step == null ? null : step.getStepExecution().getJobExecutionId();
    }
}

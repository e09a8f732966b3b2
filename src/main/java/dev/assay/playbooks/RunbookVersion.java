package dev.assay.playbooks;

import java.time.Instant;

/**
 * One stored version of a runbook.
 *
 * @param document   the whole markdown file as written (front matter and body): untrusted text
 * @param content    what it says, parsed; null only if a stored version no longer parses (see parseError)
 * @param parseError why content is null
 */
public record RunbookVersion(RunbookSummary runbook, Info info, String document, RunbookContent content, String parseError) {

    /**
     * @param origin {@code import} (from a files source) or {@code edit} (in Assay)
     */
    public record Info(long id, int number, String author, Instant createdAt, String changeNote, String origin,
            String sourceId, String contentSha256) {
    }
}

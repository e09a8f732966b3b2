package dev.assay.playbooks;

/** No runbook, version, drill or step with that identifier: answered as 404. */
public class PlaybookNotFoundException extends RuntimeException {

    public PlaybookNotFoundException(String message) {
        super(message);
    }
}

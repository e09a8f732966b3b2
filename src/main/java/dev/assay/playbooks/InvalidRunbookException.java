package dev.assay.playbooks;

/** A runbook document that cannot be accepted; the message says what to fix (answered as 400, or quarantined). */
public class InvalidRunbookException extends RuntimeException {

    public InvalidRunbookException(String reason) {
        super(reason);
    }
}

package dev.assay.playbooks;

/** A runbook change that conflicts with the stored state (a slug in use, a newer version saved meanwhile): 409. */
public class RunbookConflictException extends RuntimeException {

    public RunbookConflictException(String message) {
        super(message);
    }
}

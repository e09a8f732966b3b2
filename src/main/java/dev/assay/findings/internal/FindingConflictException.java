package dev.assay.findings.internal;

/** The action does not apply to the finding in its current state (e.g. starting a fixed finding): 409. */
public class FindingConflictException extends RuntimeException {

    public FindingConflictException(String message) {
        super(message);
    }
}

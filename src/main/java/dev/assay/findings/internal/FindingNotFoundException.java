package dev.assay.findings.internal;

/** A finding (or SLA rule, or risk acceptance) that does not exist or is not visible to the user: 404. */
public class FindingNotFoundException extends RuntimeException {

    public FindingNotFoundException(String message) {
        super(message);
    }
}

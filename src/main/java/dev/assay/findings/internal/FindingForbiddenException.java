package dev.assay.findings.internal;

/** The user may not do this to this finding (not an owner, EXECUTIVE, approving their own request): 403. */
public class FindingForbiddenException extends RuntimeException {

    public FindingForbiddenException(String message) {
        super(message);
    }
}

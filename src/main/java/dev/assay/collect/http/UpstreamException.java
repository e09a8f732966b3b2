package dev.assay.collect.http;

/**
 * An upstream call that failed for good: retries were spent, or the answer is one retrying cannot
 * fix (401, 403, 404, an oversized body). The message names the URL and status but never a credential.
 */
public class UpstreamException extends RuntimeException {

    private final int status;

    public UpstreamException(String message, int status) {
        super(message);
        this.status = status;
    }

    public UpstreamException(String message, Throwable cause) {
        super(message, cause);
        this.status = -1;
    }

    /** The HTTP status of the last answer, or -1 when there was none (timeout, reset). */
    public int status() {
        return status;
    }
}

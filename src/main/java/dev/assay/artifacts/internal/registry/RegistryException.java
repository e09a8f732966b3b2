package dev.assay.artifacts.internal.registry;

/** A registry request that failed for good; the message names the URL and status, never a credential. */
public class RegistryException extends RuntimeException {

    private final int status;

    public RegistryException(String message, int status) {
        super(message);
        this.status = status;
    }

    public RegistryException(String message, Throwable cause) {
        super(message, cause);
        this.status = -1;
    }

    /** The HTTP status of the last answer, -1 when there was none. */
    public int status() {
        return status;
    }
}

package dev.assay.collect;

/** A collection of the source is already running (here or on another instance). */
public class CollectionAlreadyRunningException extends RuntimeException {

    private final Long runningExecutionId;

    public CollectionAlreadyRunningException(String sourceId, Long runningExecutionId) {
        super("A collection of source '" + sourceId + "' is already running"
                + (runningExecutionId == null ? "" : " (job execution " + runningExecutionId + ")"));
        this.runningExecutionId = runningExecutionId;
    }

    public Long runningExecutionId() {
        return runningExecutionId;
    }
}

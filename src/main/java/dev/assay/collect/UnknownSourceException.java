package dev.assay.collect;

/** No source in the sources file has this id. */
public class UnknownSourceException extends RuntimeException {

    public UnknownSourceException(String sourceId) {
        super("No source with id '" + sourceId + "' is configured");
    }
}

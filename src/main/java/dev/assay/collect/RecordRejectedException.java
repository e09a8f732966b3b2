package dev.assay.collect;

/** A collected record that cannot be parsed or mapped; its message is the quarantine reason. */
public class RecordRejectedException extends Exception {

    public RecordRejectedException(String reason) {
        super(reason);
    }

    public RecordRejectedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}

package dev.assay.collect;

/** The source's type is valid, but this version of Assay has no collector for it yet. */
public class CollectionUnavailableException extends RuntimeException {

    public CollectionUnavailableException(SourceDefinition source) {
        super("Source '" + source.id() + "' has type '" + source.type() + "', which this version of Assay cannot collect yet");
    }
}

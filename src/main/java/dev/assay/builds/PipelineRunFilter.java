package dev.assay.builds;

/** Filters of the pipeline run list; null means "any". {@code mapped} false lists the unmapped runs. */
public record PipelineRunFilter(String team, String service, String source, String status, String branch, Boolean mapped) {

    public static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}

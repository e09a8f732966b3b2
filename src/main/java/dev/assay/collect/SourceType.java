package dev.assay.collect;

import org.springframework.batch.core.job.Job;

/**
 * A kind of source ({@code github-actions}, {@code pagerduty}, ...) contributed by the feature that
 * owns its facts. Its job receives the job parameter {@code sourceId}.
 */
public interface SourceType {

    /** The {@code type} value in {@code sources.yml}. */
    String type();

    /** The Spring Batch job that collects one source of this type. */
    Job job();
}

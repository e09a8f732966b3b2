package dev.assay.builds.internal;

/**
 * What a run says about where it comes from, in the catalog's link kinds: {@code github}
 * ({@code github.com/project-slug}), {@code gitlab} ({@code gitlab.com/project-slug}),
 * {@code gitlab-id} ({@code gitlab.com/project-id}), {@code jenkins} ({@code jenkins.io/job-full-name}).
 */
public record ServiceLink(String kind, String value) {
}

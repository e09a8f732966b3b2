package dev.assay.builds;

/**
 * How a document (e.g. SLSA provenance) names the CI run that built something: its URL, and/or the
 * source repository and commit it built. Any part may be null.
 *
 * @param url        e.g. {@code https://github.com/acme/api/actions/runs/123/attempts/1}
 * @param repository e.g. {@code git+https://github.com/acme/api@refs/heads/main} or {@code acme/api}
 * @param commit     the full commit SHA (or an unambiguous prefix of at least 7 characters)
 */
public record RunReference(String url, String repository, String commit) {
}

/**
 * CI pipeline runs: collected from GitHub Actions, GitLab CI and Jenkins (Spring Batch jobs of the
 * source types {@code github-actions}, {@code gitlab-ci}, {@code jenkins}) or pushed to
 * {@code POST /api/v1/ingest/pipeline-run}; mapped to catalog services through their repository,
 * project and job links; build duration anomalies, published as {@link dev.assay.builds.BuildAnomalyDetected}.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"common", "catalog", "collect", "collect :: http",
        "collect :: ingest"})
package dev.assay.builds;

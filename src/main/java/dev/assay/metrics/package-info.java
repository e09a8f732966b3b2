/**
 * Figure definitions, {@code /api/v1/metrics} (the exact figures from the facts) and the rollups
 * (tables {@code metric_*}, the {@code metricsRollupJob}) that the dashboard, the executive report
 * and the Prometheus gauges read. See docs/metrics.md.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"common", "collect", "catalog", "playbooks",
        "incidents", "findings", "artifacts"})
package dev.assay.metrics;

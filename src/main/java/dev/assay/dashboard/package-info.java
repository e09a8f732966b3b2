/**
 * The executive pages: the dashboard, the drill-down by team and service, the executive report,
 * the figure definitions and the data freshness every page shows. Reads the metrics rollups, never
 * the facts. A leaf: nothing depends on it.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"common", "collect", "catalog", "incidents", "metrics"})
package dev.assay.dashboard;

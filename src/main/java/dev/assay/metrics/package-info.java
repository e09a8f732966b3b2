/** Figure definitions and {@code /api/v1/metrics}: the exact figures the pages show. */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"common", "catalog", "playbooks", "incidents", "findings", "artifacts"})
package dev.assay.metrics;

/** Figure definitions and {@code /api/v1/metrics}: the exact figures the pages show. */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"common", "catalog", "playbooks", "incidents", "findings"})
package dev.assay.metrics;

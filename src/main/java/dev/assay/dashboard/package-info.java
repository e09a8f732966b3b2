/** The executive pages: the dashboard and the figure definitions. A leaf: nothing depends on it. */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"common", "catalog", "playbooks", "artifacts"})
package dev.assay.dashboard;

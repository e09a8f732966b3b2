/**
 * The collection framework: source definitions ({@code sources.yml}), the registry of source types
 * and file formats that features contribute, cursors, quarantine, job launch and the jobs API.
 * It knows no feature.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = "common")
package dev.assay.collect;

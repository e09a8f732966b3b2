/**
 * Teams, people, services and ownership: imported from Backstage catalog documents and CODEOWNERS
 * files, shown on the team and service pages. Depends on no other feature.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"common", "collect"})
package dev.assay.catalog;

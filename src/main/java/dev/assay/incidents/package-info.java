/**
 * Incidents: the PagerDuty, Opsgenie and Jira collectors and push ingestion, incident timelines,
 * post-incident reviews and the honest MTTD / MTTA / MTTR figures of DESIGN §5
 * ({@link dev.assay.incidents.IncidentFigures}).
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"common", "collect", "collect :: http",
        "collect :: ingest", "catalog", "playbooks"})
package dev.assay.incidents;

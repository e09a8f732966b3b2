/**
 * Playbooks: runbooks (markdown with front matter, versioned, imported from {@code files} sources or
 * edited in Assay) and drills that practise them step by step with timings, their reports and the
 * drill-coverage and runbook-freshness figures. Other features use {@link dev.assay.playbooks.Runbooks},
 * {@link dev.assay.playbooks.Drills}, {@link dev.assay.playbooks.PlaybookFigures} and the events
 * {@link dev.assay.playbooks.DrillStarted}, {@link dev.assay.playbooks.DrillFinished} and
 * {@link dev.assay.playbooks.DrillActionRaised}.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"common", "collect", "catalog"})
package dev.assay.playbooks;

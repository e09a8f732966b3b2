/**
 * Findings and remediation: vulnerabilities, secrets and IaC results from scans and policy findings,
 * deduplicated per service; the SLA policy; the remediation workflow (assignment, risk acceptance,
 * false positives, automatic fix and reopen); the owner's queue, the approvals queue and the figures
 * (SLA compliance, time to remediate, open and overdue counts).
 * <p>
 * Other features report facts through {@link dev.assay.findings.FindingsIntake} (scans, policy
 * violations) and read figures through {@link dev.assay.findings.FindingFigures}; the tables are private.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"common", "catalog", "artifacts", "builds", "incidents",
        "playbooks"})
package dev.assay.findings;

package dev.assay.metrics;

import java.util.List;

/** The metric names of {@code /api/v1/metrics/{metric}} and of the rollup rows (DESIGN §4, §5). */
public final class MetricNames {

    public static final String MTTD = "mttd";
    public static final String MTTA = "mtta";
    public static final String MTTR = "mttr";
    public static final String TIME_TO_REMEDIATE = "time-to-remediate";
    public static final String SIGNED_COVERAGE = "signed-coverage";
    /** Artifacts in scope with a signature that did not verify (shown beside signed coverage). */
    public static final String SIGNED_UNVERIFIED = "signed-unverified";
    public static final String SCANNED_COVERAGE = "scanned-coverage";
    public static final String SBOM_COVERAGE = "sbom-coverage";
    public static final String PROVENANCE_COVERAGE = "provenance-coverage";
    public static final String SLA_COMPLIANCE = "sla-compliance";
    /** Open critical findings past their due date (numerator) of all open critical findings (denominator). */
    public static final String OVERDUE_CRITICALS = "overdue-criticals";
    public static final String OWNERSHIP_COVERAGE = "ownership-coverage";
    public static final String DRILL_COVERAGE = "drill-coverage";
    public static final String RUNBOOK_FRESHNESS = "runbook-freshness";

    /** The incident durations, recombined from per-incident samples. */
    public static final List<String> INCIDENT_DURATIONS = List.of(MTTD, MTTA, MTTR);

    private MetricNames() {
    }
}

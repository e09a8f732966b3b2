package dev.assay.findings.internal;

import java.time.Instant;

import dev.assay.findings.Severity;

/** One row of the SLA policy: {@code tier} 0 is the default for every tier. */
public record SlaRule(Severity severity, int tier, int days, Instant updatedAt, String updatedBy) {

    public String tierLabel() {
        return tier == 0 ? "any tier" : "tier " + tier;
    }
}

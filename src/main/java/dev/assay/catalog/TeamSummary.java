package dev.assay.catalog;

/** A team with the counts the teams list shows. */
public record TeamSummary(String name, String title, String description, String email, String parent,
        int serviceCount, int memberCount, Ratio ownershipCoverage) {
}

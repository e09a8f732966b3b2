package dev.assay.dashboard;

import java.util.Arrays;
import java.util.List;

/** The league table as CSV rows: ratios 0–1, MTTR in seconds, empty where no figure is stored. */
final class LeagueCsv {

    static final List<String> HEADER = List.of("team", "title", "mttr_median_s", "signed_coverage", "scanned_coverage",
            "sla_compliance", "overdue_criticals", "ownership_coverage", "drill_coverage");

    private LeagueCsv() {
    }

    static List<?> row(LeagueRow row) {
        return Arrays.asList(row.name(), row.title(), row.mttrSeconds(), row.signed(), row.scanned(), row.sla(),
                row.overdueCriticals(), row.ownership(), row.drills());
    }
}

package dev.assay.dashboard;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import dev.assay.incidents.Durations;

/**
 * One team (or service) of the league table with its headline figures; null where no figure is
 * stored. Ratios are 0–1, MTTR in seconds, overdue criticals a count.
 */
public record LeagueRow(String name, String title, Double mttrSeconds, Double signed, Double scanned, Double sla,
        Long overdueCriticals, Double ownership, Double drills) {

    /** The sortable columns; each sorts worst first (lowest ratio, longest MTTR, most overdue); no figure last. */
    enum Column {
        MTTR("mttr", "MTTR", Comparator.comparing(LeagueRow::mttrSeconds, Comparator.nullsLast(Comparator.reverseOrder()))),
        SIGNED("signed", "Signed coverage", Comparator.comparing(LeagueRow::signed, Comparator.nullsLast(Comparator.naturalOrder()))),
        SCANNED("scanned", "Scanned coverage", Comparator.comparing(LeagueRow::scanned, Comparator.nullsLast(Comparator.naturalOrder()))),
        SLA("sla", "SLA compliance", Comparator.comparing(LeagueRow::sla, Comparator.nullsLast(Comparator.naturalOrder()))),
        OVERDUE("overdue", "Overdue criticals",
                Comparator.comparing(LeagueRow::overdueCriticals, Comparator.nullsLast(Comparator.reverseOrder()))),
        OWNERSHIP("ownership", "Ownership coverage",
                Comparator.comparing(LeagueRow::ownership, Comparator.nullsLast(Comparator.naturalOrder()))),
        DRILLS("drills", "Drill coverage", Comparator.comparing(LeagueRow::drills, Comparator.nullsLast(Comparator.naturalOrder())));

        final String key;
        final String label;
        final Comparator<LeagueRow> worstFirst;

        Column(String key, String label, Comparator<LeagueRow> worstFirst) {
            this.key = key;
            this.label = label;
            this.worstFirst = worstFirst;
        }

        public String key() {
            return key;
        }

        public String label() {
            return label;
        }

        /** How the column is ordered when sorted worst first (for aria-sort). */
        public String ariaSort() {
            return this == MTTR || this == OVERDUE ? "descending" : "ascending";
        }

        /** @throws IllegalArgumentException an unknown column, naming the known ones */
        static Column of(String key) {
            for (Column column : values()) {
                if (column.key.equals(key)) {
                    return column;
                }
            }
            throw new IllegalArgumentException("sort '" + key + "' is not one of "
                    + java.util.Arrays.stream(values()).map(Column::key).toList());
        }
    }

    static List<LeagueRow> sorted(List<LeagueRow> rows, Column column) {
        return rows.stream().sorted(column.worstFirst.thenComparing(LeagueRow::name)).toList();
    }

    public String mttrText() {
        return mttrSeconds == null ? "n/a" : Durations.spellSeconds(mttrSeconds);
    }

    public Cell signedCell() {
        return Cell.ratio(signed);
    }

    public Cell scannedCell() {
        return Cell.ratio(scanned);
    }

    public Cell slaCell() {
        return Cell.ratio(sla);
    }

    public Cell ownershipCell() {
        return Cell.ratio(ownership);
    }

    public Cell drillsCell() {
        return Cell.ratio(drills);
    }

    public Cell overdueCell() {
        return new Cell(overdueCriticals == null ? "n/a" : String.valueOf(overdueCriticals), Rating.ofCount(overdueCriticals));
    }

    /** A figure in words and its rating (the colour class; the rating word is written beside the figure). */
    public record Cell(String text, String rating) {

        static Cell ratio(Double value) {
            return new Cell(value == null ? "n/a" : String.format(Locale.ROOT, "%.1f%%", value * 100), Rating.ofRatio(value));
        }
    }
}

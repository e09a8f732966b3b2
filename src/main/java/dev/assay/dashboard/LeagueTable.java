package dev.assay.dashboard;

import java.util.List;

/**
 * The part of the team league table the dashboard shows: the {@value #WORST_SHOWN} worst teams by
 * the chosen column, or every team when asked ({@code league=all}). The landing page stays the same
 * size however many teams the catalog has; the whole table is one click away and in the CSV.
 *
 * @param rows  the rows shown, worst first
 * @param total how many teams the catalog has
 * @param all   whether every team is shown
 */
public record LeagueTable(List<LeagueRow> rows, int total, boolean all) {

    static final int WORST_SHOWN = 25;

    /**
     * @param sorted every team, worst first
     * @param all    every team, or the worst {@value #WORST_SHOWN}
     */
    static LeagueTable of(List<LeagueRow> sorted, boolean all) {
        return new LeagueTable(all ? sorted : sorted.subList(0, Math.min(WORST_SHOWN, sorted.size())), sorted.size(), all);
    }

    /** Whether some teams are not shown. */
    public boolean truncated() {
        return rows.size() < total;
    }

    /** Whether every team is shown and they are more than the worst few (so showing only those would shorten it). */
    public boolean shortenable() {
        return all && total > WORST_SHOWN;
    }

    /**
     * The {@code league} query parameter: {@code all}, or null / blank for the worst teams.
     *
     * @throws IllegalArgumentException any other value
     */
    static boolean wantsAll(String league) {
        if (league == null || league.isBlank()) {
            return false;
        }
        if (!league.strip().equals("all")) {
            throw new IllegalArgumentException("league '" + league.strip() + "' is not 'all' (leave it out for the "
                    + WORST_SHOWN + " worst teams)");
        }
        return true;
    }
}

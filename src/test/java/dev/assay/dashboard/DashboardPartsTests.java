package dev.assay.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The dashboard's pure parts: the stale rule's interval, the SVG trend geometry, the league order. */
class DashboardPartsTests {

    static final Instant AT = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void theScheduleIntervalIsTheTimeBetweenTheNextTwoCronRuns() {
        assertThat(DataFreshness.interval("@daily", AT)).isEqualTo(Duration.ofDays(1));
        assertThat(DataFreshness.interval("0 0 3 * * *", AT)).isEqualTo(Duration.ofDays(1));
        assertThat(DataFreshness.interval("0 */15 * * * *", AT)).isEqualTo(Duration.ofMinutes(15));
        assertThat(DataFreshness.interval("0 0 3 * * MON", AT)).isEqualTo(Duration.ofDays(7));
        assertThat(DataFreshness.interval("", AT)).isNull();
        assertThat(DataFreshness.interval(null, AT)).isNull();
    }

    @Test
    void aTrendDrawsEachRunOfWeeksWithAFigureAndLeavesGapsForTheOthers() {
        List<LocalDate> weeks = List.of(LocalDate.parse("2026-02-08"), LocalDate.parse("2026-02-15"),
                LocalDate.parse("2026-02-22"), LocalDate.parse("2026-03-01"));
        TrendChart chart = TrendChart.of("Signed coverage", weeks, Arrays.asList(0.5, null, 1.0, 0.0), 1,
                DashboardFigures::percent);
        // x from 56 to 236 in three steps of 60; y from 64 (0) up to 8 (100%).
        assertThat(chart.polyline()).containsExactly("56,36", "176,8 236,64");
        assertThat(chart.dots()).hasSize(3);
        assertThat(chart.yTop()).isEqualTo("100.0%");
        assertThat(chart.yBottom()).isEqualTo("0.0%");
        assertThat(chart.xFirst()).isEqualTo("2026-02-08");
        assertThat(chart.rows()).extracting(TrendChart.Row::value).containsExactly("50.0%", "n/a", "100.0%", "0.0%");
    }

    @Test
    void theLeagueSortsWorstFirstWithNoFigureLast() {
        LeagueRow a = new LeagueRow("a", "A", 600.0, 0.9, null, 0.5, 4L, 1.0, null);
        LeagueRow b = new LeagueRow("b", "B", 60.0, 0.2, null, null, 0L, 0.5, null);
        LeagueRow c = new LeagueRow("c", "C", null, null, null, 0.9, null, 0.75, null);
        assertThat(LeagueRow.sorted(List.of(a, b, c), LeagueRow.Column.SLA)).extracting(LeagueRow::name).containsExactly("a", "c", "b");
        assertThat(LeagueRow.sorted(List.of(a, b, c), LeagueRow.Column.MTTR)).extracting(LeagueRow::name).containsExactly("a", "b", "c");
        assertThat(LeagueRow.sorted(List.of(a, b, c), LeagueRow.Column.OVERDUE)).extracting(LeagueRow::name).containsExactly("a", "b", "c");
        assertThat(LeagueRow.sorted(List.of(a, b, c), LeagueRow.Column.SIGNED)).extracting(LeagueRow::name).containsExactly("b", "a", "c");
        assertThat(a.overdueCell()).isEqualTo(new LeagueRow.Cell("4", "poor"));
        assertThat(c.ownershipCell()).isEqualTo(new LeagueRow.Cell("75.0%", "fair"));
        assertThatThrownBy(() -> LeagueRow.Column.of("x")).hasMessage("sort 'x' is not one of [mttr, signed, scanned, sla, overdue, ownership, drills]");
    }

    @Test
    void theDashboardShowsTheWorstTwentyFiveTeamsUnlessAskedForAll() {
        List<LeagueRow> thirty = java.util.stream.IntStream.range(0, 30)
                .mapToObj(i -> new LeagueRow("t" + i, "T" + i, null, null, null, i / 30.0, null, null, null)).toList();
        LeagueTable worst = LeagueTable.of(LeagueRow.sorted(thirty, LeagueRow.Column.SLA), false);
        assertThat(worst.rows()).hasSize(25).first().extracting(LeagueRow::name).isEqualTo("t0");
        assertThat(worst.rows().get(24).name()).isEqualTo("t24");
        assertThat(worst.total()).isEqualTo(30);
        assertThat(worst.truncated()).isTrue();
        assertThat(worst.shortenable()).isFalse();
        LeagueTable all = LeagueTable.of(thirty, true);
        assertThat(all.rows()).hasSize(30);
        assertThat(all.truncated()).isFalse();
        assertThat(all.shortenable()).isTrue();
        LeagueTable few = LeagueTable.of(thirty.subList(0, 3), false);
        assertThat(few.rows()).hasSize(3);
        assertThat(few.truncated()).isFalse();
        assertThat(LeagueTable.of(thirty.subList(0, 3), true).shortenable()).isFalse();
        assertThat(LeagueTable.wantsAll(null)).isFalse();
        assertThat(LeagueTable.wantsAll(" ")).isFalse();
        assertThat(LeagueTable.wantsAll("all")).isTrue();
        assertThatThrownBy(() -> LeagueTable.wantsAll("everything"))
                .hasMessage("league 'everything' is not 'all' (leave it out for the 25 worst teams)");
    }
}

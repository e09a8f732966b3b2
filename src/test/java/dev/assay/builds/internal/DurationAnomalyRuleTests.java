package dev.assay.builds.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The anomaly rule on a hand-computed history: durations 280, 290, 295, 300, 300, 300, 305, 310,
 * 310, 320 s. Median 300; absolute deviations 0, 0, 0, 5, 5, 10, 10, 10, 20, 20, so MAD 7.5 and the
 * scale 1.4826 × 7.5 = 11.1195 s.
 */
class DurationAnomalyRuleTests {

    static final List<Long> HISTORY = List.of(300L, 310L, 290L, 305L, 295L, 300L, 320L, 280L, 300L, 310L);

    @Test
    void aRunFarAboveTheHistoryIsAnomalous() {
        var verdict = DurationAnomalyRule.check(400, HISTORY).orElseThrow();

        assertThat(verdict.median()).isEqualTo(300.0);
        assertThat(verdict.mad()).isEqualTo(7.5);
        assertThat(verdict.score()).isCloseTo(100 / 11.1195, within(1e-9));  // 8.993
        assertThat(verdict.historySize()).isEqualTo(10);
    }

    @Test
    void aRunFarBelowIsAnomalousToo() {
        assertThat(DurationAnomalyRule.check(200, HISTORY)).isPresent();
    }

    @Test
    void theThresholdIsAScoreOf3Point5() {
        // 300 + 3.5 × 11.1195 = 338.9: 338 s is not anomalous, 339 s is.
        assertThat(DurationAnomalyRule.check(338, HISTORY)).isEmpty();
        assertThat(DurationAnomalyRule.check(339, HISTORY)).isPresent();
    }

    @Test
    void fewerThanTenPriorRunsAreNotEnoughHistory() {
        assertThat(DurationAnomalyRule.check(4000, HISTORY.subList(0, 9))).isEmpty();
    }

    @Test
    void aPerfectlyRegularHistoryNeedsATenPercentChange() {
        List<Long> regular = List.of(300L, 300L, 300L, 300L, 300L, 300L, 300L, 300L, 300L, 300L);
        // MAD and mean absolute deviation are 0: the scale is 1 s, so the 10 % floor decides.
        assertThat(DurationAnomalyRule.check(329, regular)).isEmpty();
        assertThat(DurationAnomalyRule.check(330, regular)).isPresent();
    }

    @Test
    void aMadOfZeroFallsBackToTheMeanAbsoluteDeviation() {
        // Deviations 0 ×8, 100, 100: MAD 0, mean absolute deviation 20, scale 1.2533 × 20 = 25.066.
        List<Long> mostlyEqual = List.of(300L, 300L, 300L, 300L, 300L, 300L, 300L, 300L, 200L, 400L);
        assertThat(DurationAnomalyRule.check(387, mostlyEqual)).isEmpty();   // 87 / 25.066 = 3.47
        assertThat(DurationAnomalyRule.check(388, mostlyEqual).orElseThrow().score()).isCloseTo(88 / 25.066, within(1e-9));
    }
}

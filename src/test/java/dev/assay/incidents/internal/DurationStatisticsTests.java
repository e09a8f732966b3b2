package dev.assay.incidents.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The statistics against values numpy gives (numpy.percentile, default "linear" method). */
class DurationStatisticsTests {

    @Test
    void percentilesInterpolateLinearlyBetweenClosestRanksLikeNumpy() {
        double[] four = {1, 2, 3, 4};
        assertThat(DurationStatistics.percentile(four, 0.5)).isEqualTo(2.5);      // numpy.percentile([1,2,3,4], 50)
        assertThat(DurationStatistics.percentile(four, 0.9)).isEqualTo(3.7, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(DurationStatistics.percentile(four, 0.0)).isEqualTo(1.0);
        assertThat(DurationStatistics.percentile(four, 1.0)).isEqualTo(4.0);
        double[] five = {10, 20, 30, 40, 1000};
        assertThat(DurationStatistics.percentile(five, 0.5)).isEqualTo(30.0);
        // h = 4 × 0.9 = 3.6 → 40 + 0.6 × 960 = 616 (numpy.percentile([10,20,30,40,1000], 90) = 616.0)
        assertThat(DurationStatistics.percentile(five, 0.9)).isEqualTo(616.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(DurationStatistics.percentile(new double[] {42}, 0.9)).isEqualTo(42.0);
        assertThatThrownBy(() -> DurationStatistics.percentile(new double[0], 0.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void meanAndRounding() {
        assertThat(DurationStatistics.mean(new double[] {600, 900, 1500, 1800, 2400, 3600, 7200})).isEqualTo(18000.0 / 7);
        assertThat(DurationStatistics.round(18000.0 / 7)).isEqualTo(2571.429);
        assertThat(DurationStatistics.round(0.1 + 0.2)).isEqualTo(0.3);
    }

    @Test
    void theBootstrapIsSeededAndStaysWithinTheData() {
        double[] sorted = {60, 120, 300, 600, 840, 1200};
        double[] first = DurationStatistics.bootstrapMedianCi90(sorted, 2000, 7);
        double[] again = DurationStatistics.bootstrapMedianCi90(sorted, 2000, 7);
        assertThat(again).containsExactly(first);
        assertThat(first[0]).isLessThanOrEqualTo(450).isGreaterThanOrEqualTo(60);
        assertThat(first[1]).isGreaterThanOrEqualTo(450).isLessThanOrEqualTo(1200);
        // A constant sample has a zero-width interval; one value is its own interval.
        assertThat(DurationStatistics.bootstrapMedianCi90(new double[] {5, 5, 5}, 500, 1)).containsExactly(5, 5);
        assertThat(DurationStatistics.bootstrapMedianCi90(new double[] {9}, 500, 1)).containsExactly(9, 9);
    }

    @Test
    void thePermutationTestSeparatesDifferentSamplesAndNotSimilarOnes() {
        double[] before = {3000, 3300, 3600, 3900, 4200, 4500, 4800, 5100};
        double[] after = {600, 660, 720, 780, 840, 900, 960, 1020};
        double p = DurationStatistics.permutationPValue(before, after, 2000, 11);
        assertThat(p).isLessThan(0.01);
        assertThat(DurationStatistics.permutationPValue(before, after, 2000, 11)).isEqualTo(p);
        double[] similar = {3100, 3400, 3500, 4000, 4100, 4600, 4700, 5000};
        assertThat(DurationStatistics.permutationPValue(before, similar, 2000, 11)).isGreaterThan(0.5);
        // Identical samples: every shuffle is at least as extreme.
        assertThat(DurationStatistics.permutationPValue(before, before.clone(), 500, 3)).isEqualTo(1.0);
    }

    @Test
    void theSelectionMedianEqualsTheSortedMedianExactly() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (int round = 0; round < 2_000; round++) {
            int n = 1 + random.nextInt(60);
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                // Few distinct values (many ties) in half the rounds, arbitrary doubles in the others.
                values[i] = round % 2 == 0 ? random.nextInt(5) * 60.0 : random.nextDouble() * 86_400;
            }
            double expected = DurationStatistics.median(values);
            assertThat(DurationStatistics.medianInPlace(values.clone())).as("round %d, n %d", round, n).isEqualTo(expected);
        }
        assertThat(DurationStatistics.medianInPlace(new double[] {3, 1, 2, 10})).isEqualTo(2.5);
        assertThat(DurationStatistics.medianInPlace(new double[] {5})).isEqualTo(5.0);
    }
}

package dev.assay.findings.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Percentiles as numpy computes them by default; the expected values were computed with numpy 2.4
 * ({@code np.percentile(x, [50, 90])}, {@code np.mean(x)}).
 */
class DurationStatisticsTests {

    @Test
    void percentilesInterpolateBetweenClosestRanksLikeNumpy() {
        // np.percentile([4, 11, 21, 36], [50, 90]) → [16.0, 31.5]; mean 18.0
        DurationStatistics even = DurationStatistics.of(new double[] {36, 4, 21, 11}, 2000);
        assertThat(even.n()).isEqualTo(4);
        assertThat(even.median()).isEqualTo(16.0);
        assertThat(even.p90()).isCloseTo(31.5, within(1e-9));
        assertThat(even.mean()).isEqualTo(18.0);

        // np.percentile([1, 2, 3, 4, 10], [50, 90]) → [3.0, 7.6]; mean 4.0
        DurationStatistics odd = DurationStatistics.of(new double[] {10, 1, 3, 2, 4}, 2000);
        assertThat(odd.median()).isEqualTo(3.0);
        assertThat(odd.p90()).isCloseTo(7.6, within(1e-9));
        assertThat(odd.mean()).isEqualTo(4.0);

        // np.percentile([1, 1, 2, 3, 5, 8, 13, 21, 34, 55], [50, 90]) → [6.5, 36.1]; mean 14.3
        DurationStatistics fib = DurationStatistics.of(new double[] {1, 1, 2, 3, 5, 8, 13, 21, 34, 55}, 2000);
        assertThat(fib.median()).isEqualTo(6.5);
        assertThat(fib.p90()).isCloseTo(36.1, within(1e-9));
        assertThat(fib.mean()).isCloseTo(14.3, within(1e-9));
    }

    @Test
    void theBootstrapIntervalIsSeededAndBracketsTheMedian() {
        double[] values = {1, 1, 2, 3, 5, 8, 13, 21, 34, 55};
        DurationStatistics first = DurationStatistics.of(values, 2000);
        DurationStatistics second = DurationStatistics.of(values.clone(), 2000);

        assertThat(first.medianCi90()).containsExactly(second.medianCi90());
        assertThat(first.medianCi90()[0]).isLessThanOrEqualTo(first.median()).isGreaterThanOrEqualTo(1.0);
        assertThat(first.medianCi90()[1]).isGreaterThanOrEqualTo(first.median()).isLessThanOrEqualTo(55.0);
        assertThat(first.medianCi90()[0]).isLessThan(first.medianCi90()[1]);
    }

    @Test
    void oneValueHasAPointIntervalAndNoValueHasNoFigures() {
        DurationStatistics one = DurationStatistics.of(new double[] {5}, 500);
        assertThat(one.median()).isEqualTo(5.0);
        assertThat(one.p90()).isEqualTo(5.0);
        assertThat(one.medianCi90()).containsExactly(5.0, 5.0);

        DurationStatistics none = DurationStatistics.of(new double[0], 500);
        assertThat(none.n()).isZero();
        assertThat(none.median()).isNull();
        assertThat(none.medianCi90()).isNull();
    }
}

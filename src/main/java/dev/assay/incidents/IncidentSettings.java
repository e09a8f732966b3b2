package dev.assay.incidents;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the incident figures ({@code assay.incidents.*}).
 *
 * @param minSample          below this many measured incidents a figure says "too few incidents"
 *                           and no trend or comparison is drawn
 * @param bootstrapResamples resamples for the 90% interval of the median
 * @param permutations       shuffles of the period-over-period permutation test
 * @param seed               seed of both: the same incidents always give the same interval and p-value
 * @param significance       a change is reported only below this p-value
 */
@ConfigurationProperties("assay.incidents")
record IncidentSettings(@DefaultValue("5") int minSample, @DefaultValue("2000") int bootstrapResamples,
        @DefaultValue("2000") int permutations, @DefaultValue("20240501") long seed,
        @DefaultValue("0.05") double significance) {

    IncidentSettings {
        if (minSample < 1 || bootstrapResamples < 100 || permutations < 100 || significance <= 0 || significance >= 1) {
            throw new IllegalArgumentException("assay.incidents: min-sample must be at least 1, bootstrap-resamples and"
                    + " permutations at least 100, significance between 0 and 1");
        }
    }
}

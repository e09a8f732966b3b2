package dev.assay.builds;

import java.util.List;

/**
 * A service's recent builds for its builds page.
 *
 * @param completed    completed runs among the recent ones (success rate denominator)
 * @param successRate  successful / completed, 0–1; null without a completed run
 * @param trend        completed runs with a duration, oldest first (the duration chart)
 */
public record ServiceBuilds(String service, List<PipelineRunView> recent, int completed, int successful,
        Double successRate, List<PipelineRunView> trend) {

    public ServiceBuilds {
        recent = List.copyOf(recent);
        trend = List.copyOf(trend);
    }
}

package dev.assay.playbooks;

import java.util.List;

/**
 * What a drill showed: time per step against its expectation, the skipped, late and unfinished
 * steps, and the totals. Computed from the drill by {@link Drills#report}; pages only show it.
 *
 * @param expectedSeconds the sum of the expectations of the steps that have one; null when none has
 * @param stepSeconds     the sum of the elapsed times of the steps that were started
 */
public record DrillReport(DrillDetail drill, int completed, int skipped, int notDone, List<DrillDetail.Step> lateSteps,
        List<DrillDetail.Step> skippedSteps, List<DrillDetail.Step> notDoneSteps, List<DrillDetail.Step> criticalMissed,
        Long expectedSeconds, long stepSeconds) {

    public DrillReport {
        lateSteps = List.copyOf(lateSteps);
        skippedSteps = List.copyOf(skippedSteps);
        notDoneSteps = List.copyOf(notDoneSteps);
        criticalMissed = List.copyOf(criticalMissed);
    }

    public String expectedText() {
        return DrillDurations.format(expectedSeconds);
    }

    public String stepText() {
        return DrillDurations.format(stepSeconds);
    }
}

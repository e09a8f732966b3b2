package dev.assay.findings;

import java.util.List;

/**
 * What a reported scan changed.
 *
 * @param stale     true when a newer scan of the artifact by the scanner was already recorded: nothing changed
 * @param created   findings seen for the first time
 * @param reopened  findings that were fixed and are reported again
 * @param fixed     findings no longer reported by the newest scan of any affected artifact
 * @param reported  results accepted (after merging duplicates within the scan)
 * @param rejected  results refused, each with the reason; when any are refused the scan fixes nothing
 */
public record ScanIntakeResult(boolean stale, int created, int reopened, int fixed, int reported, List<String> rejected) {
}

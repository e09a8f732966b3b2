package dev.assay.findings.internal;

import java.util.List;

/**
 * One keyset page of a list of findings.
 *
 * @param next  the cursor of the next page, or null when this is the last
 * @param total how many findings match the filter in all
 */
public record FindingSlice(List<FindingRow> items, String next, long total) {
}

package dev.assay.dashboard;

/**
 * One headline figure of the dashboard.
 *
 * @param id         the metric name (also the definition's anchor and the element id of the value)
 * @param name       what the tile is called
 * @param value      the figure in words ("72.0%", "14 min", "n/a")
 * @param raw        the figure as a number for CSV (ratio 0–1, seconds or a count); null when none
 * @param detail     what the figure counts (numerator of denominator, n and excluded, ...)
 * @param change     the change against the previous period in words
 * @param rating     good, fair, poor or none: the colour class, always written next to the value too
 * @param drillDown  where the figure's facts are listed
 * @param trend      the 12-week trend
 */
public record Tile(String id, String name, String value, Double raw, String detail, String change, String rating,
        String drillDown, TrendChart trend) {

    public String definition() {
        return "/definitions#" + id;
    }
}

package dev.assay.dashboard;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A weekly trend drawn on the server as inline SVG (no script): the line's points in SVG
 * coordinates, the axis labels, and the rows of the data table that says the same in text.
 *
 * @param title   the accessible name of the chart ({@code <title>})
 * @param polyline the "x,y x,y ..." of the weeks that have a figure (a gap for weeks without)
 * @param dots    one mark per week with a figure
 * @param yTop    the label of the top of the y axis; yBottom that of its bottom (0)
 * @param xFirst  the label of the first week; xLast that of the last
 * @param rows    week ending → the figure in words ("n/a" when none)
 */
public record TrendChart(String title, List<String> polyline, List<Dot> dots, String yTop, String yBottom, String xFirst,
        String xLast, List<Row> rows) {

    public static final int WIDTH = 240;
    public static final int HEIGHT = 80;
    static final int LEFT = 56;
    static final int BOTTOM = 64;
    static final int TOP = 8;

    public record Dot(int x, int y) {
    }

    public record Row(LocalDate weekEnding, String value) {
    }

    /**
     * @param values one per week, oldest first, null for a week without a figure
     * @param max    the value of the top of the axis (e.g. 1 for ratios); at least the largest value
     * @param text   how a value is written in the table and the axis labels
     */
    static TrendChart of(String title, List<LocalDate> weeks, List<Double> values, double max,
            Function<Double, String> text) {
        double top = max;
        for (Double value : values) {
            if (value != null && value > top) {
                top = value;
            }
        }
        if (top <= 0) {
            top = 1;
        }
        int n = values.size();
        double step = n > 1 ? (double) (WIDTH - LEFT - 4) / (n - 1) : 0;
        List<String> segments = new ArrayList<>();
        List<Dot> dots = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        StringBuilder segment = new StringBuilder();
        for (int i = 0; i < n; i++) {
            Double value = values.get(i);
            rows.add(new Row(weeks.get(i), value == null ? "n/a" : text.apply(value)));
            if (value == null) {
                if (segment.length() > 0) {
                    segments.add(segment.toString().trim());
                    segment.setLength(0);
                }
                continue;
            }
            int x = (int) Math.round(LEFT + i * step);
            int y = (int) Math.round(BOTTOM - (value / top) * (BOTTOM - TOP));
            dots.add(new Dot(x, y));
            segment.append(x).append(',').append(y).append(' ');
        }
        if (segment.length() > 0) {
            segments.add(segment.toString().trim());
        }
        return new TrendChart(title, segments, dots, text.apply(top), text.apply(0.0),
                weeks.isEmpty() ? "" : weeks.get(0).toString(), weeks.isEmpty() ? "" : weeks.get(n - 1).toString(), rows);
    }

    public int width() {
        return WIDTH;
    }

    public int height() {
        return HEIGHT;
    }

    public int left() {
        return LEFT;
    }

    public int bottom() {
        return BOTTOM;
    }

    public int top() {
        return TOP;
    }
}

package dev.assay.builds;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The geometry of a server-rendered SVG line chart of build durations, oldest run left: one point per
 * completed run (anomalous ones marked), a polyline through them, and the y axis from 0 to the
 * longest duration. The page shows the same runs in a table, so the chart is never the only way to
 * read them.
 */
public record DurationTrend(List<Point> points, String polyline, long maxS, int width, int height) {

    public static final int WIDTH = 720;
    public static final int HEIGHT = 160;
    private static final int LEFT = 50;
    private static final int RIGHT = 700;
    private static final int TOP = 15;
    private static final int BOTTOM = 135;

    /** @param label what a point says on hover (its {@code <title>}): run, branch, duration */
    public record Point(double cx, double cy, String label, boolean anomaly) {
    }

    public DurationTrend {
        points = List.copyOf(points);
    }

    public static DurationTrend of(List<PipelineRunView> runs) {
        long max = runs.stream().mapToLong(r -> r.durationS() == null ? 0 : r.durationS()).max().orElse(0);
        long top = Math.max(max, 1);
        List<Point> points = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < runs.size(); i++) {
            PipelineRunView run = runs.get(i);
            double x = runs.size() == 1 ? (LEFT + RIGHT) / 2.0 : LEFT + (RIGHT - LEFT) * (double) i / (runs.size() - 1);
            double y = BOTTOM - (BOTTOM - TOP) * (double) run.durationS() / top;
            String label = (run.runNumber() == null ? run.externalId() : "#" + run.runNumber())
                    + (run.branch() == null ? "" : " on " + run.branch()) + ": " + run.durationS() + " s"
                    + (run.anomaly() ? " (anomaly)" : "");
            points.add(new Point(round(x), round(y), label, run.anomaly()));
            line.append(String.format(Locale.ROOT, "%.1f,%.1f ", round(x), round(y)));
        }
        return new DurationTrend(points, line.toString().strip(), max, WIDTH, HEIGHT);
    }

    public int axisY() {
        return BOTTOM;
    }

    public int left() {
        return LEFT;
    }

    public int right() {
        return RIGHT;
    }

    public int top() {
        return TOP;
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}

package dev.assay.incidents;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The geometry of a server-rendered SVG strip plot of a duration figure's distribution: one dot per
 * measured incident on a linear time axis, with the median and p90 marked. Computed here so the
 * template only draws (pages never compute figures); the page shows the same values as a table.
 */
public record StripPlot(String id, String title, String description, int width, int height, double axisY,
        double left, double right, String axisLabel, List<Tick> ticks, List<Point> points, Marker median, Marker p90) {

    public record Tick(double x, String label) {
    }

    /** One incident: where it is drawn and what its tooltip says. */
    public record Point(double cx, double cy, String label, long incidentId) {
    }

    public record Marker(double x, String label) {
    }

    private static final int WIDTH = 720;
    private static final int HEIGHT = 130;
    private static final double LEFT = 40;
    private static final double RIGHT = WIDTH - 30;
    private static final double AXIS_Y = 90;

    public static StripPlot of(DurationFigure figure) {
        double max = figure.samples().stream().mapToDouble(DurationFigure.Sample::seconds).max().orElse(0);
        Unit unit = Unit.forMax(max);
        double step = niceStep(max / unit.seconds, 6);
        double axisMax = Math.max(step, Math.ceil(max / unit.seconds / step) * step);
        List<Tick> ticks = new ArrayList<>();
        for (double t = 0; t <= axisMax + step / 2; t += step) {
            ticks.add(new Tick(round(x(t / axisMax)), format(t) + " " + unit.symbol));
        }
        List<Point> points = new ArrayList<>();
        int i = 0;
        for (DurationFigure.Sample sample : figure.samples()) {
            // A small deterministic vertical spread, so incidents with equal durations stay visible.
            double cy = AXIS_Y - 30 + ((i % 5) - 2) * 7;
            points.add(new Point(round(x(sample.seconds() / unit.seconds / axisMax)), cy,
                    (sample.reference() == null ? "#" + sample.incidentId() : sample.reference()) + ": "
                            + Durations.spellSeconds(sample.seconds()), sample.incidentId()));
            i++;
        }
        Marker median = figure.medianSeconds() == null ? null
                : new Marker(round(x(figure.medianSeconds() / unit.seconds / axisMax)), "median " + figure.medianText());
        Marker p90 = figure.p90Seconds() == null ? null
                : new Marker(round(x(figure.p90Seconds() / unit.seconds / axisMax)), "p90 " + figure.p90Text());
        String title = figure.name() + " distribution: " + figure.n() + " incident" + (figure.n() == 1 ? "" : "s");
        String description = figure.n() == 0 ? "No incident could be measured in this window."
                : "Each dot is one incident's " + figure.definition() + ", from 0 to " + format(axisMax) + " " + unit.symbol
                        + ". Median " + figure.medianText() + ", p90 " + figure.p90Text() + ". The table below lists the same values.";
        return new StripPlot("strip-" + figure.metric(), title, description, WIDTH, HEIGHT, AXIS_Y, LEFT, RIGHT,
                figure.name() + " in " + unit.name, ticks, points, median, p90);
    }

    private static double x(double fraction) {
        return LEFT + Math.max(0, Math.min(1, fraction)) * (RIGHT - LEFT);
    }

    private static double round(double value) {
        return Math.round(value * 10.0) / 10.0;
    }

    /** 1, 2 or 5 × 10^k, so that about {@code target} ticks cover the range. */
    static double niceStep(double range, int target) {
        if (range <= 0) {
            return 1;
        }
        double raw = range / target;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double residual = raw / magnitude;
        double nice = residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 5 ? 5 : 10;
        return nice * magnitude;
    }

    private static String format(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }

    private enum Unit {
        SECONDS(1, "s", "seconds"), MINUTES(60, "min", "minutes"), HOURS(3600, "h", "hours"), DAYS(86_400, "d", "days");

        final double seconds;
        final String symbol;
        final String name;

        Unit(double seconds, String symbol, String name) {
            this.seconds = seconds;
            this.symbol = symbol;
            this.name = name;
        }

        static Unit forMax(double maxSeconds) {
            if (maxSeconds < 120) {
                return SECONDS;
            }
            if (maxSeconds < 2 * 3600) {
                return MINUTES;
            }
            if (maxSeconds < 48 * 3600) {
                return HOURS;
            }
            return DAYS;
        }
    }
}

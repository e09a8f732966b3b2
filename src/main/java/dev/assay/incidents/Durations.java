package dev.assay.incidents;

import java.time.Duration;

/** Durations in words people read at a glance: "45 s", "14 min 5 s", "1 h 12 min", "2 d 3 h". */
public final class Durations {

    private Durations() {
    }

    public static String spell(Duration duration) {
        if (duration == null) {
            return "—";
        }
        boolean negative = duration.isNegative();
        Duration d = duration.abs();
        long seconds = d.toSeconds();
        String text;
        if (seconds < 60) {
            text = seconds + " s";
        } else if (seconds < 3600) {
            long s = seconds % 60;
            text = d.toMinutes() + " min" + (s > 0 ? " " + s + " s" : "");
        } else if (seconds < 86_400) {
            long m = d.toMinutesPart();
            text = d.toHours() + " h" + (m > 0 ? " " + m + " min" : "");
        } else {
            long h = d.toHoursPart();
            text = d.toDays() + " d" + (h > 0 ? " " + h + " h" : "");
        }
        return negative ? "−" + text : text;
    }

    public static String spellSeconds(Double seconds) {
        return seconds == null ? "—" : spell(Duration.ofMillis(Math.round(seconds * 1000)));
    }
}

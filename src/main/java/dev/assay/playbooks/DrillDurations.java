package dev.assay.playbooks;

/** Durations as people read them on a drill page: "45 s", "4 min 05 s", "1 h 02 min". */
final class DrillDurations {

    private DrillDurations() {
    }

    static String format(Long seconds) {
        if (seconds == null) {
            return "—";
        }
        long s = Math.max(0, seconds);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return String.format(java.util.Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        return String.format(java.util.Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }
}

package dev.assay.incidents.internal.jira;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The JQL of an incremental Jira read. JQL dates have minute precision and are read in the time
 * zone of the API user's Jira profile, which Assay cannot see. With the {@code timezone} option
 * (that profile's zone) the read starts one minute before the watermark; without it, 12 hours and
 * a minute before, which covers every zone down to UTC−12 (issues read again change nothing).
 */
public final class JiraQueries {

    private static final DateTimeFormatter JQL_DATE = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm");

    private JiraQueries() {
    }

    /**
     * The configured query, issues updated since, oldest update first.
     *
     * @throws IllegalArgumentException the configured query has its own ORDER BY
     */
    public static String incrementalJql(String configured, Instant since, ZoneId zone) {
        String base = configured == null ? "" : configured.strip();
        if (base.toLowerCase(Locale.ROOT).contains("order by")) {
            throw new IllegalArgumentException("the 'jql' option must not contain ORDER BY: Assay orders by updated");
        }
        String clause = "updated >= \"" + JQL_DATE.format(since.atZone(zone)) + "\"";
        return (base.isEmpty() ? clause : "(" + base + ") AND " + clause) + " ORDER BY updated ASC, key ASC";
    }

    /** Where a run after the first starts reading, given the watermark. */
    public static Instant readFrom(Instant watermark, boolean zoneKnown) {
        return watermark.minus(zoneKnown ? Duration.ofMinutes(1) : Duration.ofHours(12).plusMinutes(1));
    }
}

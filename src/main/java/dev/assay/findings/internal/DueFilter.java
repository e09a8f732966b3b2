package dev.assay.findings.internal;

import java.time.Duration;
import java.util.Arrays;

/**
 * The {@code due} filter: {@code overdue} (due date passed), {@code 7d} / {@code 30d} (not yet
 * overdue, due within 7 / 30 days). Overdue findings have their own filter, so "due soon" lists
 * what can still be fixed in time.
 */
public enum DueFilter {

    OVERDUE("overdue", null), DAYS_7("7d", Duration.ofDays(7)), DAYS_30("30d", Duration.ofDays(30));

    private final String slug;
    private final Duration within;

    DueFilter(String slug, Duration within) {
        this.slug = slug;
        this.within = within;
    }

    public String slug() {
        return slug;
    }

    public Duration within() {
        return within;
    }

    public static DueFilter parse(String slug) {
        return Arrays.stream(values()).filter(d -> d.slug.equals(slug == null ? null : slug.trim())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("due '" + slug + "' must be one of overdue, 7d, 30d"));
    }
}

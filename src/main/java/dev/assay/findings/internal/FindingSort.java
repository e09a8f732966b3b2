package dev.assay.findings.internal;

import static dev.assay.findings.internal.db.Tables.FINDING;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

import org.jooq.Condition;
import org.jooq.Record;
import org.jooq.SortField;
import org.jooq.impl.DSL;

/**
 * The orders a list of findings can be shown in, each with its keyset: a page ends with a cursor
 * made of the last row's sort key, and the next page starts strictly after it. With 1M findings,
 * "the next 50 after (due_at, id)" is an index range scan; an OFFSET would read and throw away every
 * row before the page.
 * <ul>
 * <li>{@code due}: due date ascending, so overdue findings come first, then due soonest;</li>
 * <li>{@code severity}: most severe first, then by due date;</li>
 * <li>{@code last_seen}: most recently reported first.</li>
 * </ul>
 * Cursors look like {@code d.<due epoch µs>.<id>}: opaque to users, checked when read back.
 */
public enum FindingSort {

    DUE("due"), SEVERITY("severity"), LAST_SEEN("last_seen");

    private final String slug;

    FindingSort(String slug) {
        this.slug = slug;
    }

    public String slug() {
        return slug;
    }

    public static FindingSort parse(String slug) {
        if (slug == null || slug.isBlank()) {
            return DUE;
        }
        return Arrays.stream(values()).filter(s -> s.slug.equals(slug.trim())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("sort '" + slug + "' must be one of due, severity, last_seen"));
    }

    List<SortField<?>> orderBy() {
        switch (this) {
            case SEVERITY:
                return List.of(FINDING.SEVERITY_RANK.desc(), FINDING.DUE_AT.asc(), FINDING.ID.asc());
            case LAST_SEEN:
                return List.of(FINDING.LAST_SEEN_AT.desc(), FINDING.ID.desc());
            default:
                return List.of(FINDING.DUE_AT.asc(), FINDING.ID.asc());
        }
    }

    /** The cursor that continues after this row. */
    String cursorAfter(Record row) {
        switch (this) {
            case SEVERITY:
                return "s." + row.get(FINDING.SEVERITY_RANK) + "." + micros(row.get(FINDING.DUE_AT)) + "." + row.get(FINDING.ID);
            case LAST_SEEN:
                return "l." + micros(row.get(FINDING.LAST_SEEN_AT)) + "." + row.get(FINDING.ID);
            default:
                return "d." + micros(row.get(FINDING.DUE_AT)) + "." + row.get(FINDING.ID);
        }
    }

    /** The rows strictly after the cursor, in this order. */
    Condition after(String cursor) {
        String[] parts = cursor.split("\\.");
        try {
            switch (this) {
                case SEVERITY: {
                    expect(parts, "s", 4, cursor);
                    int rank = Integer.parseInt(parts[1]);
                    OffsetDateTime due = time(parts[2]);
                    long id = Long.parseLong(parts[3]);
                    return FINDING.SEVERITY_RANK.lt(rank)
                            .or(FINDING.SEVERITY_RANK.eq(rank).and(DSL.row(FINDING.DUE_AT, FINDING.ID).gt(due, id)));
                }
                case LAST_SEEN: {
                    expect(parts, "l", 3, cursor);
                    return DSL.row(FINDING.LAST_SEEN_AT, FINDING.ID).lt(time(parts[1]), Long.parseLong(parts[2]));
                }
                default: {
                    expect(parts, "d", 3, cursor);
                    return DSL.row(FINDING.DUE_AT, FINDING.ID).gt(time(parts[1]), Long.parseLong(parts[2]));
                }
            }
        } catch (NumberFormatException e) {
            throw badCursor(cursor);
        }
    }

    private void expect(String[] parts, String prefix, int count, String cursor) {
        if (parts.length != count || !parts[0].equals(prefix)) {
            throw badCursor(cursor);
        }
    }

    private IllegalArgumentException badCursor(String cursor) {
        return new IllegalArgumentException("after '" + cursor + "' is not a cursor of a list sorted by " + slug
                + " (follow the list's own next link)");
    }

    private static long micros(OffsetDateTime time) {
        Instant instant = time.toInstant();
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }

    private static OffsetDateTime time(String micros) {
        long value = Long.parseLong(micros);
        return Instant.ofEpochSecond(Math.floorDiv(value, 1_000_000L), Math.floorMod(value, 1_000_000L) * 1_000L)
                .atOffset(ZoneOffset.UTC);
    }
}

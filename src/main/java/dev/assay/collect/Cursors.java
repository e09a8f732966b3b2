package dev.assay.collect;

import static dev.assay.collect.internal.db.Tables.COLLECT_CURSOR;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;

import org.jooq.DSLContext;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Per-source watermarks (a file's content hash, an {@code updated_at}, a page token). Writes join
 * the caller's transaction so a cursor commits with the chunk it covers and never runs ahead of it.
 */
@Service
public class Cursors {

    private final DSLContext db;
    private final Clock clock;

    Cursors(DSLContext db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public Optional<String> get(String sourceId, String key) {
        return db.select(COLLECT_CURSOR.CURSOR_VALUE).from(COLLECT_CURSOR)
                .where(COLLECT_CURSOR.SOURCE_ID.eq(sourceId).and(COLLECT_CURSOR.CURSOR_KEY.eq(key)))
                .fetchOptional(COLLECT_CURSOR.CURSOR_VALUE);
    }

    public Map<String, String> all(String sourceId) {
        return db.select(COLLECT_CURSOR.CURSOR_KEY, COLLECT_CURSOR.CURSOR_VALUE).from(COLLECT_CURSOR)
                .where(COLLECT_CURSOR.SOURCE_ID.eq(sourceId))
                .fetchMap(COLLECT_CURSOR.CURSOR_KEY, COLLECT_CURSOR.CURSOR_VALUE);
    }

    @Transactional
    public void put(String sourceId, String key, String value) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        db.insertInto(COLLECT_CURSOR)
                .set(COLLECT_CURSOR.SOURCE_ID, sourceId)
                .set(COLLECT_CURSOR.CURSOR_KEY, key)
                .set(COLLECT_CURSOR.CURSOR_VALUE, value)
                .set(COLLECT_CURSOR.UPDATED_AT, now)
                .onConflict(COLLECT_CURSOR.SOURCE_ID, COLLECT_CURSOR.CURSOR_KEY)
                .doUpdate()
                .set(COLLECT_CURSOR.CURSOR_VALUE, value)
                .set(COLLECT_CURSOR.UPDATED_AT, now)
                .execute();
    }

    @Transactional
    public void forget(String sourceId, String key) {
        db.deleteFrom(COLLECT_CURSOR).where(COLLECT_CURSOR.SOURCE_ID.eq(sourceId).and(COLLECT_CURSOR.CURSOR_KEY.eq(key)))
                .execute();
    }
}

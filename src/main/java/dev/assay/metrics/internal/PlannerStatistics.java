package dev.assay.metrics.internal;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.springframework.stereotype.Component;

/**
 * Refreshes PostgreSQL's planner statistics ({@code ANALYZE}) before each metrics rollup, that is after
 * every collection and nightly. Autovacuum does this on its own when it runs; where it is off (as on
 * the CI machines) a new database's tables are never analysed, and a cached plan made for tables the
 * planner believed empty can read a whole table per lookup (docs/operations.md, docs/performance.md).
 * {@code ANALYZE} reads a sample of each table and blocks neither reads nor writes. On H2 it does
 * nothing.
 */
@Component
class PlannerStatistics {

    private final DSLContext db;

    PlannerStatistics(DSLContext db) {
        this.db = db;
    }

    /** @return whether the statistics were refreshed (PostgreSQL) */
    boolean refresh() {
        if (db.dialect().family() != SQLDialect.POSTGRES) {
            return false;
        }
        db.execute("ANALYZE");
        return true;
    }
}

package dev.assay.common;

import java.util.Collection;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * The condition "first = a value and second in some values" over a two-column index
 * {@code (first, second)}, written so that each database looks the pairs up in that index:
 * <ul>
 * <li>H2 uses only the index's first column for {@code first = ? AND second IN (…)} and then reads
 * every row with that first value (every incident of a source, once per chunk: a collection grew
 * quadratic in its source's size); it looks a row-value list {@code (first, second) IN ((?, ?), …)}
 * up pair by pair.</li>
 * <li>PostgreSQL is the other way round: it plans a row-value list of bind values as an OR of 100
 * conditions that it evaluates on every row of the table, and {@code second IN (…)} as one index
 * scan with {@code = ANY}.</li>
 * </ul>
 */
public final class KeyPairsIn {

    private KeyPairsIn() {
    }

    /**
     * Makes PostgreSQL plan the rest of the current transaction's statements for their own values
     * ({@code SET LOCAL plan_cache_mode = force_custom_plan}); nothing elsewhere. A lookup of many
     * keys on a table that a collection is filling is the case for it: the generic plan of a prepared
     * statement, made while the table was empty, is a sequential scan, and it is kept until an ANALYZE
     * of the table invalidates it — with autovacuum off, never (the benchmark's L PagerDuty collection
     * spent 100–400 ms per chunk lookup so). Only for such transactions: planning every statement of
     * every request costs more than it saves (with it on every connection, the row-at-a-time GitHub
     * collection of the L benchmark took 2.4× as long).
     */
    public static void planForTheirValues(DSLContext db) {
        if (db.dialect().family() == SQLDialect.POSTGRES) {
            db.execute("SET LOCAL plan_cache_mode = force_custom_plan");
        }
    }

    public static <A, B> Condition of(DSLContext db, Field<A> first, A value, Field<B> second, Collection<B> values) {
        if (db.dialect().family() == SQLDialect.H2) {
            return DSL.row(first, second).in(values.stream().map(v -> DSL.row(value, v)).toList());
        }
        return first.eq(value).and(second.in(values));
    }
}

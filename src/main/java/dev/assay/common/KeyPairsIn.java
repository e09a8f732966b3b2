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

    public static <A, B> Condition of(DSLContext db, Field<A> first, A value, Field<B> second, Collection<B> values) {
        if (db.dialect().family() == SQLDialect.H2) {
            return DSL.row(first, second).in(values.stream().map(v -> DSL.row(value, v)).toList());
        }
        return first.eq(value).and(second.in(values));
    }
}

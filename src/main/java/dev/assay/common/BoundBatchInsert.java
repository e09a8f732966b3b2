package dev.assay.common;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.TableRecord;

/**
 * Inserts new records as JDBC batches of one prepared statement per table and set of columns, with
 * the records' values bound. jOOQ's {@code batchInsert} renders every record's statement on its own,
 * which for a few hundred thousand rows costs more than the inserts (on the incident collector's hot
 * path, a multi-row insert rendered per chunk and jOOQ's own batch binding each cost several times the
 * database's own work per row: docs/performance.md). Records are grouped by the
 * columns they set (their changed fields), so no record loses a value that another's shape lacks.
 */
public final class BoundBatchInsert {

    private BoundBatchInsert() {
    }

    /** A table and the columns its records set: one statement. */
    private record Shape(Table<?> table, List<Field<?>> columns) {
    }

    /**
     * Inserts the records (in the order given within each shape) on the current transaction's connection.
     *
     * @return how many records were inserted
     */
    public static int insert(DSLContext db, List<? extends TableRecord<?>> records) {
        Map<Shape, List<TableRecord<?>>> byShape = new LinkedHashMap<>();
        for (TableRecord<?> record : records) {
            List<Field<?>> columns = Stream.of(record.getTable().fields()).filter(record::changed).toList();
            byShape.computeIfAbsent(new Shape(record.getTable(), columns), shape -> new ArrayList<>()).add(record);
        }
        byShape.forEach((shape, rows) -> {
            String sql = statement(db, shape.table(), shape.columns());
            db.connection(connection -> {
                try (PreparedStatement insert = connection.prepareStatement(sql)) {
                    for (TableRecord<?> row : rows) {
                        for (int i = 0; i < shape.columns().size(); i++) {
                            insert.setObject(i + 1, row.get(shape.columns().get(i)));
                        }
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
            });
        });
        return records.size();
    }

    private static <R extends Record> String statement(DSLContext db, Table<R> table, List<Field<?>> columns) {
        return db.insertInto(table).columns(columns).values(new Object[columns.size()]).getSQL();
    }
}

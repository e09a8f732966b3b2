package dev.assay;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import javax.sql.DataSource;

/**
 * Empties the application's tables so integration tests that share one database (the full suite
 * runs them all against a single PostgreSQL database) do not see each other's rows.
 *
 * <p>Every table of the current schema is emptied (Spring Batch's {@code batch_*} tables included)
 * except {@code flyway_schema_history}, and except the tables a test names to keep — for example
 * {@code cleanAllExcept("app_user", "user_role")} keeps the admin user the application created
 * when its context started. Rows are removed with {@code TRUNCATE}: on PostgreSQL one
 * {@code TRUNCATE ... CASCADE} over all the tables (which also passes the append-only trigger on
 * {@code audit_log}, a row-level trigger TRUNCATE does not fire); on H2 each table in turn with
 * referential integrity switched off. Note that on PostgreSQL {@code CASCADE} also empties a kept
 * table that has a foreign key to an emptied one: keep both ends of such a link.
 *
 * <p>A plain class, not a bean: {@code new DatabaseCleaner(dataSource).cleanAll()}.
 */
public final class DatabaseCleaner {

    /** Flyway's history, and the rollup lock row its migration seeds (DESIGN: reference data, never a fact). */
    private static final Set<String> NEVER_CLEANED = Set.of("flyway_schema_history", "metric_rollup_lock");

    private final DataSource dataSource;

    public DatabaseCleaner(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Empties every application table (all but Flyway's history). */
    public void cleanAll() {
        cleanAllExcept();
    }

    /** Empties every application table but Flyway's history and the tables named (case-insensitive). */
    public void cleanAllExcept(String... tablesToKeep) {
        Set<String> keep = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        keep.addAll(NEVER_CLEANED);
        keep.addAll(List.of(tablesToKeep));
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(true);
            try {
                List<String> tables = tables(connection).stream().filter(t -> !keep.contains(t)).toList();
                if (tables.isEmpty()) {
                    return;
                }
                String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
                if (product.contains("postgres")) {
                    truncatePostgres(connection, tables);
                } else if (product.contains("h2")) {
                    truncateH2(connection, tables);
                } else {
                    throw new IllegalStateException("DatabaseCleaner does not know " + product);
                }
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not clean the test database: " + e.getMessage(), e);
        }
    }

    /** The base tables of the connection's current schema, as the database spells them. */
    public List<String> tables() {
        try (Connection connection = dataSource.getConnection()) {
            return tables(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not list the test database's tables: " + e.getMessage(), e);
        }
    }

    private static List<String> tables(Connection connection) throws SQLException {
        String schema = connection.getSchema();
        if (schema == null) {
            throw new IllegalStateException("The connection has no current schema");
        }
        List<String> tables = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT table_name FROM information_schema.tables"
                        + " WHERE table_schema = ? AND table_type = 'BASE TABLE' ORDER BY table_name")) {
            query.setString(1, schema);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
        }
        return tables;
    }

    private static void truncatePostgres(Connection connection, List<String> tables) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        List<String> quoted = new ArrayList<>();
        for (String table : tables) {
            quoted.add(quote(meta, table));
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE TABLE " + String.join(", ", quoted) + " CASCADE");
        }
    }

    private static void truncateH2(Connection connection, List<String> tables) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET REFERENTIAL_INTEGRITY FALSE");
            try {
                for (String table : tables) {
                    statement.execute("TRUNCATE TABLE " + quote(meta, table));
                }
            } finally {
                statement.execute("SET REFERENTIAL_INTEGRITY TRUE");
            }
        }
    }

    private static String quote(DatabaseMetaData meta, String identifier) throws SQLException {
        String q = meta.getIdentifierQuoteString().strip();
        return q + identifier.replace(q, q + q) + q;
    }
}

package dev.assay.bench;

import java.util.Locale;

/**
 * What the benchmark command was asked for, from the system properties the {@code bench} Maven
 * profile passes: {@code bench.size} (S, M, L), {@code bench.db} (h2, postgres), {@code bench.seed}
 * and {@code bench.postgres-url} (the server; the benchmark creates its own database there).
 */
record BenchSettings(BenchSize size, String db, long seed, String postgresServerUrl) {

    static final String POSTGRES_DATABASE = "assay_bench";

    static BenchSettings fromSystemProperties() {
        String db = System.getProperty("bench.db", "h2").trim().toLowerCase(Locale.ROOT);
        if (!db.equals("h2") && !db.equals("postgres")) {
            throw new IllegalArgumentException("bench.db must be h2 or postgres, not '" + db + "'");
        }
        return new BenchSettings(BenchSize.parse(System.getProperty("bench.size", "S")), db,
                Long.parseLong(System.getProperty("bench.seed", "42").trim()),
                System.getProperty("bench.postgres-url", "jdbc:postgresql://127.0.0.1:5432/"));
    }

    boolean postgres() {
        return db.equals("postgres");
    }
}

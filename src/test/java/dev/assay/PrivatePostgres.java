package dev.assay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of a test's own (tests tagged {@code process}): {@code initdb} into a fresh
 * folder, the server on a free loopback port, so that a test may stop and start it without touching
 * the machine's shared cluster at 127.0.0.1:5432. The server binaries are the newest under
 * {@code /usr/lib/postgresql/<version>/bin} (Debian's {@code postgresql} package). PostgreSQL refuses
 * to run as root: when the test runs as root (CI), every server command runs as the {@code postgres}
 * OS user ({@code runuser -u postgres --}), who owns the folder. Superuser {@code postgres}, trust
 * authentication on loopback only, fsync off (a test's data need not survive a power cut).
 */
public final class PrivatePostgres implements AutoCloseable {

    public static final String USER = "postgres";
    private static final Path INSTALLATIONS = Path.of("/usr/lib/postgresql");

    private final Path bin;
    private final Path dir;
    private final int port;
    private final List<String> asServerUser;

    private PrivatePostgres(Path bin, Path dir, int port, List<String> asServerUser) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asServerUser = asServerUser;
    }

    /** Creates the cluster (initdb) and starts it; {@link #close} stops it and removes its folder. */
    public static PrivatePostgres start() throws IOException, InterruptedException {
        Path bin = serverBinaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("assay-private-pg");
        List<String> asServerUser = root ? List.of("runuser", "-u", USER, "--") : List.of();
        if (root) {
            run(List.of("chown", USER + ":" + USER, dir.toString()), dir.resolve("commands.log"));
        }
        PrivatePostgres postgres = new PrivatePostgres(bin, dir, AssayProcess.freePort(), asServerUser);
        try {
            postgres.server(List.of(bin.resolve("initdb").toString(), "-D", postgres.data().toString(), "-U", USER,
                    "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"));
            postgres.startServer();
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            postgres.close();
            throw e;
        }
        return postgres;
    }

    public int port() {
        return port;
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/<database>} */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public void createDatabase(String name) throws SQLException {
        try (Connection admin = DriverManager.getConnection(url("postgres"), USER, "");
                Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
    }

    /** {@code pg_ctl stop -m immediate}: every server process ends at once, as in a crash; no connection is closed cleanly. */
    public void stopImmediately() throws IOException, InterruptedException {
        server(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "immediate", "-w", "stop"));
    }

    /** Starts the server (after a {@link #stopImmediately}, with crash recovery) and returns once it accepts connections. */
    public void startServer() throws IOException, InterruptedException {
        server(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-l", dir.resolve("server.log").toString(),
                "-w", "-t", "60", "-o", "-c listen_addresses=127.0.0.1 -c port=" + port + " -c unix_socket_directories="
                        + dir + " -c fsync=off -c max_connections=40", "start"));
    }

    /** The server's log file (inside the cluster's folder, gone after {@link #close}). */
    public Path serverLog() {
        return dir.resolve("server.log");
    }

    /** Stops the server if it runs (immediately) and removes the cluster's folder. */
    @Override
    public void close() {
        try {
            if (Files.exists(data().resolve("postmaster.pid"))) {
                stopImmediately();
            }
        } catch (IOException | RuntimeException | AssertionError e) {
            System.err.println("Could not stop the private PostgreSQL in " + dir + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            System.err.println("Could not remove " + dir + ": " + e.getMessage());
        }
    }

    private Path data() {
        return dir.resolve("data");
    }

    private void server(List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(asServerUser);
        full.addAll(command);
        run(full, dir.resolve("commands.log"));
    }

    /** Runs a command, its output appended to a log file (a pipe could be held open by the server pg_ctl starts). */
    private static void run(List<String> command, Path log) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("Timed out: " + String.join(" ", command) + "\n" + Files.readString(log));
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("Exit " + process.exitValue() + ": " + String.join(" ", command) + "\n" + Files.readString(log));
        }
    }

    private static Path serverBinaries() throws IOException {
        if (Files.isDirectory(INSTALLATIONS)) {
            try (Stream<Path> versions = Files.list(INSTALLATIONS)) {
                var newest = versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                        .max(Comparator.comparing(v -> versionNumber(v.getFileName().toString())));
                if (newest.isPresent()) {
                    return newest.get().resolve("bin");
                }
            }
        }
        throw new AssertionError("No PostgreSQL server binaries (initdb) under " + INSTALLATIONS
                + ": install Debian's postgresql package");
    }

    private static int versionNumber(String name) {
        return name.matches("\\d+") ? Integer.parseInt(name) : -1;
    }
}

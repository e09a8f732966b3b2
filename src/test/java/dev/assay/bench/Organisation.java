package dev.assay.bench;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * A generated organisation: teams, their services (with the catalog annotations that link
 * PagerDuty services and image repositories), incidents and scanned artifacts. The same size and
 * seed always give the same organisation.
 */
record Organisation(BenchSize size, Instant now, List<Team> teams, List<Service> services, List<Incident> incidents,
        List<ScannedArtifact> artifacts) {

    /** Incidents are created over this period before {@code now} (the collector's lookback is 180 days). */
    static final Duration HISTORY = Duration.ofDays(175);
    /** Incidents younger than this are still open (acknowledged); older ones are resolved. */
    static final Duration OPEN_AGE = Duration.ofDays(1);
    static final String REGISTRY = "registry.bench.example";

    record Team(String name, String owner) {
    }

    record Service(String name, String team, String pagerDutyId, String repository) {
    }

    /** A PagerDuty incident; resolved ones have no current acknowledgements (PagerDuty clears them). */
    record Incident(String id, int number, Instant created, Service service, boolean resolved, Duration toAcknowledge,
            Duration toResolve) {

        Instant acknowledged() {
            return created.plus(toAcknowledge);
        }

        Instant resolvedAt() {
            return created.plus(toResolve);
        }
    }

    record ScannedArtifact(Service service, String digest, Instant scannedAt, List<Integer> vulnerabilities) {

        String reference() {
            return service.repository() + "@" + digest;
        }
    }

    static Organisation generate(BenchSize size, long seed, Instant now) {
        Random random = new Random(seed);
        List<Team> teams = new ArrayList<>();
        for (int t = 0; t < size.teams(); t++) {
            String name = String.format("team-%03d", t);
            teams.add(new Team(name, "owner-" + name));
        }
        List<Service> services = new ArrayList<>();
        for (int s = 0; s < size.services(); s++) {
            String name = String.format("svc-%04d", s);
            services.add(new Service(name, teams.get(s % teams.size()).name(), String.format("PSV%04d", s),
                    REGISTRY + "/bench/" + name));
        }
        List<Instant> created = new ArrayList<>();
        long historySeconds = HISTORY.toSeconds();
        for (int n = 0; n < size.incidents(); n++) {
            created.add(now.minus(HISTORY).plusSeconds((long) (random.nextDouble() * (historySeconds - 3600))));
        }
        created.sort(null);
        List<Incident> incidents = new ArrayList<>();
        for (int n = 0; n < created.size(); n++) {
            Instant at = created.get(n);
            Duration ack = Duration.ofSeconds(30 + random.nextInt(1800));
            Duration resolve = ack.plusSeconds(300 + random.nextInt(4 * 3600));
            boolean open = at.isAfter(now.minus(OPEN_AGE));
            incidents.add(new Incident(String.format("Q%07d", n + 1), n + 1, at,
                    services.get(random.nextInt(services.size())), !open, ack, resolve));
        }
        List<ScannedArtifact> artifacts = new ArrayList<>();
        for (int a = 0; a < size.scans(); a++) {
            Service service = services.get(a % services.size());
            List<Integer> vulnerabilities = new ArrayList<>();
            for (int v = 0; v < size.vulnerabilitiesPerScan(); v++) {
                vulnerabilities.add(random.nextInt(500));
            }
            artifacts.add(new ScannedArtifact(service, "sha256:" + sha256(seed + ":artifact:" + a),
                    now.minusSeconds(3600L + random.nextInt(48 * 3600)), vulnerabilities));
        }
        return new Organisation(size, now, List.copyOf(teams), List.copyOf(services), List.copyOf(incidents),
                List.copyOf(artifacts));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

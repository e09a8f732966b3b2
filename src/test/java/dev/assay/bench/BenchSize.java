package dev.assay.bench;

import java.util.Locale;

/**
 * The organisation sizes of DESIGN §8. Services and incidents follow §8 (L: 5,000 services,
 * 100,000 incidents, i.e. 20 incidents per service). Scanned artifacts are fewer than §8's
 * 100 per service: each scan document goes through the whole ingest API, and two per service
 * with {@link #vulnerabilitiesPerScan} findings each keeps an S run within minutes on a shared
 * 2-core machine (docs/performance.md says so next to the figures).
 */
enum BenchSize {
    S(10, 100, 2_000, 200, 1),
    M(100, 1_000, 20_000, 2_000, 5),
    L(500, 5_000, 100_000, 10_000, 10);

    static final int VULNERABILITIES_PER_SCAN = 10;

    private final int teams;
    private final int services;
    private final int incidents;
    private final int scans;
    private final int sampleEvery;

    BenchSize(int teams, int services, int incidents, int scans, int sampleEvery) {
        this.teams = teams;
        this.services = services;
        this.incidents = incidents;
        this.scans = scans;
        this.sampleEvery = sampleEvery;
    }

    /**
     * The GitLab pipelines, CycloneDX SBOMs and registry images cover every {@code sampleEvery}th
     * service or scanned artifact: each costs a request per pipeline or a whole document push, and all
     * of them at L would hold a run for an hour. Their figures are rates, so a sample gives them.
     */
    int sampleEvery() {
        return sampleEvery;
    }

    int teams() {
        return teams;
    }

    int services() {
        return services;
    }

    int incidents() {
        return incidents;
    }

    int scans() {
        return scans;
    }

    int vulnerabilitiesPerScan() {
        return VULNERABILITIES_PER_SCAN;
    }

    static BenchSize parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bench.size must be S, M or L, not '" + text + "'", e);
        }
    }
}

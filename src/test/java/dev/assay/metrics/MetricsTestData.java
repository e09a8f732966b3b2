package dev.assay.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import javax.sql.DataSource;

import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import dev.assay.DatabaseCleaner;
import dev.assay.collect.CollectionLauncher;
import dev.assay.collect.CollectionRuns;
import dev.assay.collect.JobExecutions;
import dev.assay.collect.JobStatus;
import dev.assay.findings.FindingSource;
import dev.assay.findings.FindingsIntake;
import dev.assay.findings.ReportedVulnerability;
import dev.assay.findings.ScanReport;
import dev.assay.findings.Severity;

/**
 * A generated organisation for the metrics tests, built through the features' public intake: the
 * findings test catalog (src/test/resources/findings/catalog.yaml: team checkout owns checkout-api
 * (tier 1) and checkout-web, team ledger owns ledger-service, orphan-service has no team) imported
 * by the real files job; 240 incidents over 180 days pushed to {@code POST /api/v1/ingest/incident}
 * (some on two services, some without acknowledgement, some with inconsistent timestamps); and 80
 * scan findings over 180 days reported through {@link FindingsIntake}, two thirds of them fixed.
 * Seeded, so every run builds the same data.
 */
final class MetricsTestData {

    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final List<String> SERVICES = List.of("checkout-api", "checkout-web", "ledger-service", "orphan-service");
    static final int INCIDENTS = 240;
    static final int FINDINGS = 80;

    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();

    private MetricsTestData() {
    }

    /** {@code GET /api/v1/metrics/{metric}} as an executive, with the filters that are not null. */
    static tools.jackson.databind.JsonNode api(MockMvc mvc, String metric, String window, String team, String service)
            throws Exception {
        List<String> query = new ArrayList<>(List.of("window=" + window));
        if (team != null) {
            query.add("team=" + team);
        }
        if (service != null) {
            query.add("service=" + service);
        }
        return JSON.readTree(mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
                        .get("/api/v1/metrics/" + metric + "?" + String.join("&", query))
                        .with(user("exec").roles("EXECUTIVE")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
    }

    static void build(DataSource dataSource, CollectionLauncher launcher, JobExecutions executions, MockMvc mvc,
            FindingsIntake intake) throws Exception {
        new DatabaseCleaner(dataSource).cleanAll();
        JobStatus catalog = CollectionRuns.collectAndWait(launcher, executions, "metrics-catalog");
        assertThat(catalog.status()).isEqualTo("COMPLETED");
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < INCIDENTS; i++) {
            Instant detected = NOW.minus(Duration.ofMinutes(random.nextLong(180L * 24 * 60)));
            long ttd = 60 + random.nextLong(3_600);
            long tta = 30 + random.nextLong(1_800);
            long ttr = 300 + random.nextLong(6 * 3_600);
            List<String> services = new ArrayList<>(List.of(SERVICES.get(random.nextInt(SERVICES.size()))));
            if (i % 9 == 0) {
                services.add("checkout-web");
            }
            boolean acknowledged = i % 7 != 0;
            // Every 23rd incident says it was detected before its impact began: excluded from MTTD.
            Instant started = i % 23 == 0 ? detected.plusSeconds(600) : detected.minusSeconds(ttd);
            String body = String.format(Locale.ROOT, """
                    {"schema": "assay.incident/v1", "id": "GEN-%d", "title": "Generated incident %d", "severity": "sev%d",
                     "services": [%s], "started_at": "%s", "detected_at": "%s", "acknowledged_at": %s,
                     "mitigated_at": "%s", "resolved_at": "%s", "status": "resolved"}""",
                    i, i, 1 + i % 3, String.join(",", services.stream().distinct().map(s -> "\"" + s + "\"").toList()),
                    started, detected, acknowledged ? "\"" + detected.plusSeconds(tta) + "\"" : "null",
                    detected.plusSeconds(ttr), detected.plusSeconds(ttr + 600));
            mvc.perform(post("/api/v1/ingest/incident").with(user("ci").roles("ADMIN")).with(csrf())
                    .contentType(MediaType.APPLICATION_JSON).content(body)).andExpect(status().isAccepted());
        }
        Severity[] severities = {Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW};
        for (int i = 0; i < FINDINGS; i++) {
            String service = SERVICES.get(i % SERVICES.size());
            Severity severity = severities[random.nextInt(severities.length)];
            Instant firstSeen = NOW.minus(Duration.ofHours(1 + random.nextLong(180L * 24)));
            String id = "CVE-2026-" + (1000 + i);
            String artifact = "registry.example.com/acme/" + service + "@sha256:" + String.format("%064d", i);
            intake.reportScan(new ScanReport(service, artifact, "trivy", id + "-1", firstSeen,
                    List.of(new ReportedVulnerability(id, "pkg-" + i, "1.0", null, severity, null, null, id,
                            FindingSource.VULNERABILITY))));
            if (i % 3 != 0) {
                Instant fixed = firstSeen.plus(Duration.ofHours(1 + random.nextLong(60L * 24)));
                if (fixed.isBefore(NOW)) {
                    intake.reportScan(new ScanReport(service, artifact, "trivy", id + "-2", fixed, List.of()));
                }
            }
        }
    }
}

package dev.assay.incidents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/**
 * A golden dataset whose figures are worked out by hand below, pushed through
 * {@code POST /api/v1/ingest/incident} (Assay's minimal document, timestamps with Z, +02:00 and
 * −05:00 offsets) and computed by {@link IncidentFigures} from the stored rows — on H2 here and on
 * PostgreSQL in the full suite (the same test, ASSAY_TEST_DATASOURCE_URL).
 * <p>
 * Window P30D ending 2024-06-01T00:00:00Z, so [2024-05-02, 2024-06-01).
 * <pre>
 * id  services       started   detected  ack       mitigated resolved  TTD   TTA   TTR    impact
 * G1  payments-api   05-03 10:00 10:14   10:16     10:44     11:30     840   120   1800   2640 (10:00→10:44)
 * G2  payments-api   05-05 12:00+02 12:05+02 12:05:30+02 —    12:15+02  300   30    600    900  (10:00Z→10:15Z)
 * G3  payments-api   05-08 07:00-05 07:01-05 07:02-05 07:16-05 09:00-05 60    60    900    960
 * G4  payments-api   05-10 00:00 00:20   00:24     01:20     —         1200  240   3600   4800
 * G5  payments-api   05-12 08:00 08:02   08:12     10:02     —         120   600   7200   7320
 * G6  identity-api   05-15 15:00 15:10   —         —         15:35     600   excl  1500   2100
 * G7  identity-api   —           05-18 09:00 —     09:40     —         excl  excl  2400   2400 (from detection)
 * G8  ledger-service 05-20 08:10 08:00   07:55     —         07:50     excl  excl  excl   unknown (negative)
 * G9  checkout-web   —           05-25 10:03 —     —         —         excl  excl  excl   unknown (open)
 * D1  payments-api   drill (is_drill): never counted
 * P1  payments-api   2024-04-20: the previous period, not this one
 * </pre>
 */
class IncidentFiguresGoldenTests extends IncidentTestSupport {

    @Autowired MockMvc mvc;
    @Autowired IncidentFigures figures;

    @BeforeEach
    void pushTheGoldenDataset() throws Exception {
        collect("inc-catalog");
        clock.set(Instant.parse("2024-06-01T00:00:00Z"));
        push("G1", "payments-api", "sev1", "2024-05-03T10:00:00Z", "2024-05-03T10:14:00Z", "2024-05-03T10:16:00Z",
                "2024-05-03T10:44:00Z", "2024-05-03T11:30:00Z", false);
        push("G2", "payments-api", "sev2", "2024-05-05T12:00:00+02:00", "2024-05-05T12:05:00+02:00",
                "2024-05-05T12:05:30+02:00", null, "2024-05-05T12:15:00+02:00", false);
        push("G3", "payments-api", "sev2", "2024-05-08T07:00:00-05:00", "2024-05-08T07:01:00-05:00",
                "2024-05-08T07:02:00-05:00", "2024-05-08T07:16:00-05:00", "2024-05-08T09:00:00-05:00", false);
        push("G4", "payments-api", "SEV1", "2024-05-10T00:00:00Z", "2024-05-10T00:20:00Z", "2024-05-10T00:24:00Z",
                "2024-05-10T01:20:00Z", null, false);
        push("G5", "payments-api", "sev2", "2024-05-12T08:00:00Z", "2024-05-12T08:02:00Z", "2024-05-12T08:12:00Z",
                "2024-05-12T10:02:00Z", null, false);
        push("G6", "identity-api", "sev2", "2024-05-15T15:00:00Z", "2024-05-15T15:10:00Z", null, null,
                "2024-05-15T15:35:00Z", false);
        push("G7", "identity-api", "sev2", null, "2024-05-18T09:00:00Z", null, "2024-05-18T09:40:00Z", null, false);
        push("G8", "ledger-service", "sev2", "2024-05-20T08:10:00Z", "2024-05-20T08:00:00Z", "2024-05-20T07:55:00Z", null,
                "2024-05-20T07:50:00Z", false);
        push("G9", "checkout-web", "sev2", null, "2024-05-25T10:03:00Z", null, null, null, false);
        push("D1", "payments-api", "sev1", "2024-05-22T10:00:00Z", "2024-05-22T10:01:00Z", "2024-05-22T10:02:00Z", null,
                "2024-05-22T10:30:00Z", true);
        push("P1", "payments-api", "sev1", "2024-04-20T10:00:00Z", "2024-04-20T10:05:00Z", "2024-04-20T10:06:00Z", null,
                "2024-04-20T10:30:00Z", false);
    }

    @Test
    void mttdMatchesTheHandComputation() {
        DurationFigure mttd = figures.figure("mttd", "P30D", null, null, null);

        // measured: G3 60, G5 120, G2 300, G6 600, G1 840, G4 1200 (n = 6)
        assertThat(mttd.n()).isEqualTo(6);
        assertThat(mttd.samples()).extracting(DurationFigure.Sample::reference, DurationFigure.Sample::seconds)
                .containsExactly(tuple("G3", 60.0), tuple("G5", 120.0), tuple("G2", 300.0), tuple("G6", 600.0),
                        tuple("G1", 840.0), tuple("G4", 1200.0));
        // median of an even count: the mean of the two middle values, (300 + 600) / 2 = 450
        assertThat(mttd.medianSeconds()).isEqualTo(450.0);
        // p90: h = (6 − 1) × 0.9 = 4.5 → x[4] + 0.5 × (x[5] − x[4]) = 840 + 0.5 × 360 = 1020
        assertThat(mttd.p90Seconds()).isEqualTo(1020.0);
        // mean: (60 + 120 + 300 + 600 + 840 + 1200) / 6 = 3120 / 6 = 520
        assertThat(mttd.meanSeconds()).isEqualTo(520.0);
        assertThat(mttd.excluded()).isEqualTo(3);
        assertThat(mttd.exclusions()).extracting(DurationFigure.Exclusion::reference, DurationFigure.Exclusion::reason)
                .containsExactly(tuple("G7", "impact start unknown"),
                        tuple("G8", "detected 10 min before impact began (inconsistent timestamps)"),
                        tuple("G9", "impact start unknown"));
        assertThat(mttd.tooFew()).isFalse();
        assertThat(mttd.from()).isEqualTo(Instant.parse("2024-05-02T00:00:00Z"));
        assertThat(mttd.to()).isEqualTo(Instant.parse("2024-06-01T00:00:00Z"));
    }

    @Test
    void mttaMatchesTheHandComputation() {
        DurationFigure mtta = figures.figure("mtta", "P30D", null, null, null);

        // measured: G2 30, G3 60, G1 120, G4 240, G5 600 (n = 5)
        assertThat(mtta.n()).isEqualTo(5);
        // median: x[2] = 120
        assertThat(mtta.medianSeconds()).isEqualTo(120.0);
        // p90: h = 4 × 0.9 = 3.6 → 240 + 0.6 × (600 − 240) = 240 + 216 = 456
        assertThat(mtta.p90Seconds()).isEqualTo(456.0);
        // mean: 1050 / 5 = 210
        assertThat(mtta.meanSeconds()).isEqualTo(210.0);
        assertThat(mtta.exclusions()).extracting(DurationFigure.Exclusion::reference, DurationFigure.Exclusion::reason)
                .containsExactly(tuple("G6", "no acknowledgement time"), tuple("G7", "no acknowledgement time"),
                        tuple("G8", "acknowledged 5 min before detection (inconsistent timestamps)"),
                        tuple("G9", "no acknowledgement time"));
    }

    @Test
    void mttrMatchesTheHandComputationWithImpactAndCount() {
        DurationFigure mttr = figures.figure("mttr", "P30D", null, null, null);

        // measured (mitigated, else resolved, − detected): G2 600, G3 900, G6 1500, G1 1800, G7 2400, G4 3600, G5 7200
        assertThat(mttr.n()).isEqualTo(7);
        // median: x[3] = 1800
        assertThat(mttr.medianSeconds()).isEqualTo(1800.0);
        // p90: h = 6 × 0.9 = 5.4 → 3600 + 0.4 × (7200 − 3600) = 5040
        assertThat(mttr.p90Seconds()).isEqualTo(5040.0);
        // mean: 18000 / 7 = 2571.428571… → 2571.429 (milliseconds)
        assertThat(mttr.meanSeconds()).isEqualTo(2571.429);
        assertThat(mttr.exclusions()).extracting(DurationFigure.Exclusion::reference, DurationFigure.Exclusion::reason)
                .containsExactly(tuple("G8", "restored 10 min before detection (inconsistent timestamps)"),
                        tuple("G9", "not mitigated or resolved yet"));
        // 9 production incidents in the window (D1 is a drill, P1 is in April)
        assertThat(mttr.incidentCount()).isEqualTo(9);
        // impact: 2640 + 900 + 960 + 4800 + 7320 + 2100 + 2400 = 21120 s = 352.0 min; G8 and G9 unknown
        assertThat(mttr.totalImpactMinutes()).isEqualTo(352.0);
        assertThat(mttr.impactUnknown()).isEqualTo(2);
    }

    @Test
    void theBootstrapIntervalIsReproducibleAndContainsTheMedian() {
        for (String metric : List.of("mttd", "mtta", "mttr")) {
            DurationFigure first = figures.figure(metric, "P30D", null, null, null);
            DurationFigure second = figures.figure(metric, "P30D", null, null, null);
            assertThat(second).isEqualTo(first);
            assertThat(first.ci90LowSeconds()).isLessThanOrEqualTo(first.medianSeconds());
            assertThat(first.ci90HighSeconds()).isGreaterThanOrEqualTo(first.medianSeconds());
            // The interval lies within the observed range.
            assertThat(first.ci90LowSeconds()).isGreaterThanOrEqualTo(first.samples().get(0).seconds());
            assertThat(first.ci90HighSeconds()).isLessThanOrEqualTo(first.samples().get(first.n() - 1).seconds());
        }
    }

    @Test
    void filtersByTeamServiceAndSeverity() {
        // identity owns identity-api: G6 1500 and G7 2400 → median (1500 + 2400) / 2 = 1950, too few (n = 2 < 5)
        DurationFigure identity = figures.figure("mttr", "P30D", "identity", null, null);
        assertThat(identity.n()).isEqualTo(2);
        assertThat(identity.medianSeconds()).isEqualTo(1950.0);
        assertThat(identity.tooFew()).isTrue();
        assertThat(identity.incidentCount()).isEqualTo(2);
        // payments owns payments-api, ledger-service and checkout-web: G1–G5 measured, G8 and G9 excluded
        DurationFigure payments = figures.figure("mttr", "P30D", "payments", null, null);
        assertThat(List.of(payments.n(), payments.excluded(), payments.incidentCount())).containsExactly(5, 2, 7);
        assertThat(payments.medianSeconds()).isEqualTo(1800.0);   // [600, 900, 1800, 3600, 7200]
        DurationFigure service = figures.figure("mttr", "P30D", null, "checkout-web", null);
        assertThat(List.of(service.n(), service.excluded())).containsExactly(0, 1);
        assertThat(service.medianSeconds()).isNull();
        assertThat(service.toApi("mttr", "P30D").get("median_ci90_s")).isNull();
        // severity is matched case-insensitively: G1 (sev1) 1800 and G4 (SEV1) 3600
        DurationFigure sev1 = figures.figure("mttr", "P30D", null, null, "Sev1");
        assertThat(sev1.samples()).extracting(DurationFigure.Sample::seconds).containsExactly(1800.0, 3600.0);
        assertThat(figures.figure("mttr", "P30D", "no-such-team", null, null).incidentCount()).isZero();
    }

    @Test
    void theApiAnswerHasExactlyTheDesignFieldsFirst() {
        Map<String, Object> answer = figures.figure("mttr", "P30D", null, null, null).toApi("mttr", "P30D");

        assertThat(new ArrayList<>(answer.keySet()).subList(0, 8)).containsExactly("metric", "window", "n", "excluded",
                "median_s", "p90_s", "mean_s", "median_ci90_s");
        assertThat(answer).containsEntry("metric", "mttr").containsEntry("window", "P30D").containsEntry("n", 7)
                .containsEntry("excluded", 2).containsEntry("median_s", 1800.0).containsEntry("p90_s", 5040.0)
                .containsEntry("mean_s", 2571.429).containsEntry("incident_count", 9)
                .containsEntry("total_impact_minutes", 352.0).containsEntry("too_few_incidents", false);
        assertThat((List<?>) answer.get("median_ci90_s")).hasSize(2);
    }

    @Test
    void figuresDoNotMoveWhenTheServerTimeZoneChanges() {
        List<DurationFigure> inUtc = List.of(figures.figure("mttd", "P30D", null, null, null),
                figures.figure("mtta", "P30D", null, null, null), figures.figure("mttr", "P30D", null, null, null));
        TimeZone original = TimeZone.getDefault();
        try {
            for (String zone : Arrays.asList("America/St_Johns", "Pacific/Chatham", "Asia/Kolkata")) {
                TimeZone.setDefault(TimeZone.getTimeZone(zone));
                List<DurationFigure> elsewhere = List.of(figures.figure("mttd", "P30D", null, null, null),
                        figures.figure("mtta", "P30D", null, null, null), figures.figure("mttr", "P30D", null, null, null));
                assertThat(elsewhere).as("figures with the JVM in %s", zone).isEqualTo(inUtc);
            }
        } finally {
            TimeZone.setDefault(original);
        }
        // +02:00 and −05:00 were stored as the instants they name
        assertThat(jdbc.queryForObject("select detected_at from incident where external_id = 'G2'", java.time.OffsetDateTime.class)
                .toInstant()).isEqualTo(Instant.parse("2024-05-05T10:05:00Z"));
        assertThat(jdbc.queryForObject("select detected_at from incident where external_id = 'G3'", java.time.OffsetDateTime.class)
                .toInstant()).isEqualTo(Instant.parse("2024-05-08T12:01:00Z"));
    }

    private void push(String id, String service, String severity, String started, String detected, String acknowledged,
            String mitigated, String resolved, boolean drill) throws Exception {
        String body = "{\"schema\": \"assay.incident/v1\", \"id\": \"" + id + "\", \"title\": \"Golden " + id + "\","
                + " \"severity\": \"" + severity + "\", \"services\": [\"" + service + "\"], \"is_drill\": " + drill + ","
                + " \"started_at\": " + quoted(started) + ", \"detected_at\": " + quoted(detected) + ","
                + " \"acknowledged_at\": " + quoted(acknowledged) + ", \"mitigated_at\": " + quoted(mitigated) + ","
                + " \"resolved_at\": " + quoted(resolved) + "}";
        mvc.perform(post("/api/v1/ingest/incident").with(user("ci").roles("ADMIN")).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isAccepted());
    }

    private static String quoted(String value) {
        return value == null ? "null" : "\"" + value + "\"";
    }
}

package dev.assay.incidents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Period over period: a change is reported only when the permutation test on the difference of the
 * medians says it is unlikely to be noise (p &lt; 0.05), never below the minimum n.
 */
class IncidentComparisonTests extends IncidentTestSupport {

    @Autowired MockMvc mvc;
    @Autowired IncidentFigures figures;

    @BeforeEach
    void now() {
        clock.set(Instant.parse("2024-06-01T00:00:00Z"));
    }

    @Test
    void aClearFallIsReportedWithItsPValue() throws Exception {
        // previous period (2024-04-02 – 05-02): TTR 3000 … 5100 s, median (3900 + 4200) / 2 = 4050
        int[] previous = {3000, 3300, 3600, 3900, 4200, 4500, 4800, 5100};
        // this period: TTR 600 … 1020 s, median (780 + 840) / 2 = 810
        int[] current = {600, 660, 720, 780, 840, 900, 960, 1020};
        for (int i = 0; i < 8; i++) {
            push("prev-" + i, Instant.parse("2024-04-10T10:00:00Z").plusSeconds(86_400L * i), previous[i]);
            push("cur-" + i, Instant.parse("2024-05-10T10:00:00Z").plusSeconds(86_400L * i), current[i]);
        }

        DurationFigure mttr = figures.figure("mttr", "P30D", null, null, null);
        DurationFigure.Comparison comparison = mttr.comparison();

        assertThat(comparison.previousN()).isEqualTo(8);
        assertThat(comparison.previousMedianSeconds()).isEqualTo(4050.0);
        assertThat(mttr.medianSeconds()).isEqualTo(810.0);
        assertThat(comparison.differenceSeconds()).isEqualTo(-3240.0);   // 810 − 4050 = −54 min
        assertThat(comparison.pValue()).isLessThan(0.01);
        assertThat(comparison.detectable()).isTrue();
        assertThat(comparison.label()).startsWith("MTTR fell by 54 min (p = 0.0");
        assertThat(comparison.previousFrom()).isEqualTo(Instant.parse("2024-04-02T00:00:00Z"));
        assertThat(figures.figure("mttr", "P30D", null, null, null).comparison()).isEqualTo(comparison);
    }

    @Test
    void overlappingSamplesAreNoDetectableChange() throws Exception {
        int[] previous = {1200, 1500, 1800, 2100, 2400, 2700, 3000, 3300};
        int[] current = {1300, 1600, 1700, 2000, 2500, 2600, 3100, 3200};
        for (int i = 0; i < 8; i++) {
            push("prev-" + i, Instant.parse("2024-04-10T10:00:00Z").plusSeconds(86_400L * i), previous[i]);
            push("cur-" + i, Instant.parse("2024-05-10T10:00:00Z").plusSeconds(86_400L * i), current[i]);
        }

        DurationFigure.Comparison comparison = figures.figure("mttr", "P30D", null, null, null).comparison();

        assertThat(comparison.detectable()).isFalse();
        assertThat(comparison.pValue()).isGreaterThan(0.05);
        assertThat(comparison.label()).startsWith("no detectable change (p = ");
    }

    @Test
    void belowTheMinimumThereIsNoComparison() throws Exception {
        for (int i = 0; i < 8; i++) {
            push("prev-" + i, Instant.parse("2024-04-10T10:00:00Z").plusSeconds(86_400L * i), 4000);
        }
        for (int i = 0; i < 4; i++) {
            push("cur-" + i, Instant.parse("2024-05-10T10:00:00Z").plusSeconds(86_400L * i), 600);
        }

        DurationFigure mttr = figures.figure("mttr", "P30D", null, null, null);

        assertThat(mttr.tooFew()).isTrue();
        assertThat(mttr.comparison().pValue()).isNull();
        assertThat(mttr.comparison().label()).isEqualTo("too few incidents to compare (at least 5 in each period are needed)");
    }

    private void push(String id, Instant detected, int ttrSeconds) throws Exception {
        String body = "{\"schema\": \"assay.incident/v1\", \"id\": \"" + id + "\", \"title\": \"" + id + "\","
                + " \"detected_at\": \"" + detected + "\", \"resolved_at\": \"" + detected.plusSeconds(ttrSeconds) + "\"}";
        mvc.perform(post("/api/v1/ingest/incident").with(user("ci").roles("ADMIN")).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content(body)).andExpect(status().isAccepted());
    }
}

package dev.assay.incidents;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.assay.collect.JobStatus;
import dev.assay.common.PageRequest;

/**
 * The demo recordings (batch-jobs/demo/incidents) collected by the real PagerDuty and Jira jobs
 * through the loopback replay, against the demo catalog. The expected figures are worked out from
 * the files in batch-jobs/demo/incidents/README.md.
 */
class DemoIncidentsTests extends IncidentTestSupport {

    @Autowired IncidentFigures figures;
    @Autowired Incidents incidents;

    @Test
    void demoIncidentsAreCollectedThroughTheRealJobsAndGiveTheDocumentedFigures() {
        assertThat(collect("demo-catalog").status()).isEqualTo("COMPLETED");
        JobStatus pagerDuty = collect("demo-pagerduty");
        JobStatus jira = collect("demo-jira");

        assertThat(pagerDuty.status()).isEqualTo("COMPLETED");
        assertThat(pagerDuty.read()).isEqualTo(28);
        assertThat(pagerDuty.written()).isEqualTo(28);
        assertThat(pagerDuty.quarantined()).isZero();
        assertThat(jira.status()).isEqualTo("COMPLETED");
        assertThat(jira.read()).isEqualTo(12);
        assertThat(jira.quarantined()).isZero();
        assertThat(count("select count(*) from incident")).isEqualTo(40);
        assertThat(count("select count(*) from incident where is_drill")).isEqualTo(2);
        // Every incident but #2417 (PagerDuty service PU9NK0W is in no catalog annotation) has its service.
        assertThat(count("select count(*) from incident i where not exists"
                + " (select 1 from incident_service s where s.incident_id = i.id)")).isEqualTo(1);
        assertThat(jdbc.queryForObject("select display_ref from incident i where not exists"
                + " (select 1 from incident_service s where s.incident_id = i.id)", String.class)).isEqualTo("#2417");
        // notify entries are not part of the timeline: 28 triggers, 26 acknowledgements, 7 escalations,
        // 15 notes and 26 resolutions; Jira issues have one event per mapped timestamp.
        assertThat(count("select count(*) from incident_event e join incident i on i.id = e.incident_id"
                + " where i.source_id = 'demo-pagerduty' and e.kind = 'trigger'")).isEqualTo(28);
        assertThat(count("select count(*) from incident_event e join incident i on i.id = e.incident_id"
                + " where i.source_id = 'demo-pagerduty' and e.kind = 'notify'")).isZero();

        IncidentFigures.FigureSet set = figures.figures(IncidentFilter.production("P90D", null, null, null));
        DurationFigure mttd = set.mttd();
        assertThat(mttd.n()).isEqualTo(9);
        assertThat(mttd.excluded()).isEqualTo(29);
        assertThat(mttd.medianSeconds()).isEqualTo(5400.0);
        assertThat(mttd.p90Seconds()).isEqualTo(27660.0);
        assertThat(mttd.meanSeconds()).isEqualTo(12103.333);
        assertThat(mttd.exclusions()).filteredOn(x -> x.reference().equals("PAY-337")).singleElement()
                .extracting(DurationFigure.Exclusion::reason)
                .isEqualTo("detected 20 min before impact began (inconsistent timestamps)");
        assertThat(mttd.exclusions()).filteredOn(x -> x.reason().equals("impact start unknown")).hasSize(28);
        DurationFigure mtta = set.mtta();
        assertThat(List.of(mtta.n(), mtta.excluded())).containsExactly(25, 13);
        assertThat(List.of(mtta.medianSeconds(), mtta.p90Seconds(), mtta.meanSeconds())).containsExactly(360.0, 1404.0, 628.0);
        DurationFigure mttr = set.mttr();
        assertThat(List.of(mttr.n(), mttr.excluded())).containsExactly(35, 3);
        assertThat(List.of(mttr.medianSeconds(), mttr.p90Seconds(), mttr.meanSeconds()))
                .containsExactly(3000.0, 10080.0, 6606.857);
        assertThat(mttr.incidentCount()).isEqualTo(38);
        assertThat(mttr.totalImpactMinutes()).isEqualTo(5623.5);
        assertThat(mttr.impactUnknown()).isEqualTo(3);
        for (DurationFigure f : set.all()) {
            assertThat(f.ci90LowSeconds()).isLessThanOrEqualTo(f.medianSeconds());
            assertThat(f.ci90HighSeconds()).isGreaterThanOrEqualTo(f.medianSeconds());
            assertThat(f.tooFew()).isFalse();
            // Everything happened in the last 80 days: the previous 90 days are empty.
            assertThat(f.comparison().label()).startsWith("too few incidents to compare");
        }
        // The two drills have figures of their own.
        DurationFigure drills = figures.figure("mttr", IncidentFilter.production("P90D", null, null, null).withDrills(true));
        assertThat(drills.n()).isEqualTo(2);
        assertThat(drills.medianSeconds()).isEqualTo(1650.0);  // (2400 + 900) / 2
        // Payments' services: 9 PagerDuty incidents (the drill included: lists show drills) and PAY-311, 318, 329, 337.
        assertThat(incidents.list(new IncidentFilter("P90D", null, "payments", null, null, null, null), PageRequest.of(0, 50))
                .total()).isEqualTo(13);
    }

    @Test
    void collectingTheDemoAgainChangesNothing() {
        collect("demo-catalog");
        collect("demo-pagerduty");
        collect("demo-jira");
        List<java.util.Map<String, Object>> before = jdbc.queryForList(
                "select id, content_sha256, updated_at from incident order by id");

        JobStatus again = collect("demo-pagerduty");

        assertThat(again.status()).isEqualTo("COMPLETED");
        assertThat(jdbc.queryForList("select id, content_sha256, updated_at from incident order by id")).isEqualTo(before);
        assertThat(count("select count(*) from incident")).isEqualTo(40);
    }
}

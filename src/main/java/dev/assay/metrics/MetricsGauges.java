package dev.assay.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

/**
 * The headline figures as gauges for {@code /actuator/prometheus} (DESIGN §4), one series per team
 * plus the organisation ({@code team="(organisation)"}, a name no catalog team can have), for the
 * dashboard's default window. Read from the rollups and refreshed after every rollup run and at start;
 * a figure with nothing to count (no denominator, no incident) has no series. Names
 * (docs/metrics.md): {@code assay_mttd_median_seconds}, {@code assay_mttr_median_seconds},
 * {@code assay_signed_coverage_ratio}, {@code assay_scanned_coverage_ratio},
 * {@code assay_sbom_coverage_ratio}, {@code assay_provenance_coverage_ratio},
 * {@code assay_sla_compliance_ratio}, {@code assay_ownership_coverage_ratio},
 * {@code assay_drill_coverage_ratio} and {@code assay_overdue_criticals}.
 */
@Component
public class MetricsGauges {

    public static final String ORGANISATION = "(organisation)";
    static final List<String> HEADLINE_DURATIONS = List.of(MetricNames.MTTD, MetricNames.MTTR);
    static final Map<String, String> RATIOS = ratios();

    private final MetricRollups rollups;
    private final MetricsSettings settings;
    private final Map<String, MultiGauge> gauges = new LinkedHashMap<>();

    MetricsGauges(MetricRollups rollups, MetricsSettings settings, MeterRegistry registry) {
        this.rollups = rollups;
        this.settings = settings;
        for (String metric : HEADLINE_DURATIONS) {
            gauges.put(metric, MultiGauge.builder("assay." + metric + ".median").baseUnit("seconds")
                    .description("Median " + metric.toUpperCase(java.util.Locale.ROOT) + " of production incidents, "
                            + "window " + settings.defaultWindow())
                    .register(registry));
        }
        RATIOS.forEach((metric, name) -> gauges.put(metric, MultiGauge.builder(name).baseUnit("ratio")
                .description(metric + " (0-1), window " + settings.defaultWindow()).register(registry)));
        gauges.put(MetricNames.OVERDUE_CRITICALS, MultiGauge.builder("assay.overdue.criticals")
                .description("Open critical findings past their SLA due date").register(registry));
    }

    @EventListener(ApplicationReadyEvent.class)
    void atStart() {
        refresh();
    }

    /** Re-reads every gauge from the newest rollups. */
    public void refresh() {
        String window = settings.defaultWindow();
        for (String metric : HEADLINE_DURATIONS) {
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            RolledDuration organisation = rollups.incidentDuration(metric, window, null, null);
            if (organisation.medianSeconds() != null) {
                rows.add(MultiGauge.Row.of(Tags.of("team", ORGANISATION), organisation.medianSeconds()));
            }
            rollups.incidentDurationsByTeam(metric, window).forEach((team, figure) -> {
                if (figure.medianSeconds() != null) {
                    rows.add(MultiGauge.Row.of(Tags.of("team", team), figure.medianSeconds()));
                }
            });
            gauges.get(metric).register(rows, true);
        }
        for (String metric : RATIOS.keySet()) {
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            rollups.ratio(metric, window, null, null).filter(r -> r.ratio() != null)
                    .ifPresent(r -> rows.add(MultiGauge.Row.of(Tags.of("team", ORGANISATION), r.ratio())));
            rollups.ratiosByTeam(metric, window).forEach((team, r) -> {
                if (r.ratio() != null) {
                    rows.add(MultiGauge.Row.of(Tags.of("team", team), r.ratio()));
                }
            });
            gauges.get(metric).register(rows, true);
        }
        List<MultiGauge.Row<?>> overdue = new ArrayList<>();
        rollups.ratio(MetricNames.OVERDUE_CRITICALS, window, null, null)
                .ifPresent(r -> overdue.add(MultiGauge.Row.of(Tags.of("team", ORGANISATION), r.numerator())));
        rollups.ratiosByTeam(MetricNames.OVERDUE_CRITICALS, window)
                .forEach((team, r) -> overdue.add(MultiGauge.Row.of(Tags.of("team", team), r.numerator())));
        gauges.get(MetricNames.OVERDUE_CRITICALS).register(overdue, true);
    }

    private static Map<String, String> ratios() {
        Map<String, String> ratios = new LinkedHashMap<>();
        for (String metric : List.of(MetricNames.SIGNED_COVERAGE, MetricNames.SCANNED_COVERAGE, MetricNames.SBOM_COVERAGE,
                MetricNames.PROVENANCE_COVERAGE, MetricNames.SLA_COMPLIANCE, MetricNames.OWNERSHIP_COVERAGE,
                MetricNames.DRILL_COVERAGE)) {
            ratios.put(metric, "assay." + metric.replace('-', '.'));
        }
        return Map.copyOf(ratios);
    }
}

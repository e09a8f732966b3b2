package dev.assay.findings;

import static dev.assay.findings.internal.db.Tables.FINDING;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Service;

import dev.assay.catalog.Catalog;
import dev.assay.catalog.ServiceSummary;
import dev.assay.findings.internal.DurationStatistics;
import dev.assay.findings.internal.FindingsSettings;
import dev.assay.findings.internal.RiskAcceptanceExpiry;

/**
 * The figures of the findings feature (DESIGN §5), for pages, {@code /api/v1/metrics} and the
 * metrics rollups: SLA compliance, time to remediate, and open / overdue counts by severity per team
 * and service. Every method may be narrowed to a team (the services it owns now), a service and a
 * severity (null or blank: all). Windows end now (the application clock) and are ISO-8601
 * durations such as {@code P90D}. Risk acceptances past their expiry are reopened first, so a
 * figure never counts an acceptance that has run out.
 */
@Service
public class FindingFigures {

    private final DSLContext db;
    private final Catalog catalog;
    private final RiskAcceptanceExpiry expiry;
    private final FindingsSettings settings;
    private final Clock clock;

    FindingFigures(DSLContext db, Catalog catalog, RiskAcceptanceExpiry expiry, FindingsSettings settings, Clock clock) {
        this.db = db;
        this.catalog = catalog;
        this.expiry = expiry;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Findings fixed in the window within their SLA / (fixed in the window + open past due now).
     *
     * @throws IllegalArgumentException for a window that is not a positive ISO-8601 duration or an unknown severity
     */
    public SlaCompliance slaCompliance(String window, String team, String service, String severity) {
        Duration length = parseWindow(window);
        Severity level = severity(severity);
        expiry.expireDue();
        OffsetDateTime now = OffsetDateTime.now(clock);
        OffsetDateTime from = now.minus(length);
        Condition scope = scope(team, service, level);
        Record closed = db.select(
                        DSL.count(),
                        DSL.sum(DSL.when(FINDING.FIXED_AT.le(FINDING.DUE_AT), 1).otherwise(0)))
                .from(FINDING)
                .where(scope.and(FINDING.STATUS.eq(FindingStatus.FIXED.slug()))
                        .and(FINDING.FIXED_AT.gt(from)).and(FINDING.FIXED_AT.le(now)))
                .fetchOne();
        long closedAll = closed.get(0, Long.class);
        long within = closed.get(1) == null ? 0 : closed.get(1, Long.class);
        long openPastDue = db.fetchCount(FINDING, scope.and(FINDING.ACTIONABLE.isTrue()).and(FINDING.DUE_AT.lt(now)));
        return new SlaCompliance(window, from.toInstant(), now.toInstant(), blank(team), blank(service),
                level == null ? null : level.slug(), within, closedAll - within, openPastDue);
    }

    /**
     * Fixed − first seen of the findings fixed in the window, with the findings closed in it without
     * a fix counted as excluded.
     */
    public RemediationTime timeToRemediate(String window, String team, String service, String severity) {
        Duration length = parseWindow(window);
        Severity level = severity(severity);
        expiry.expireDue();
        OffsetDateTime now = OffsetDateTime.now(clock);
        OffsetDateTime from = now.minus(length);
        Condition scope = scope(team, service, level);
        List<Double> seconds = new ArrayList<>();
        int excluded = 0;
        for (Record r : db.select(FINDING.FIRST_SEEN_AT, FINDING.FIXED_AT).from(FINDING)
                .where(scope.and(FINDING.STATUS.eq(FindingStatus.FIXED.slug()))
                        .and(FINDING.FIXED_AT.gt(from)).and(FINDING.FIXED_AT.le(now)))
                .fetch()) {
            Duration took = Duration.between(r.get(FINDING.FIRST_SEEN_AT), r.get(FINDING.FIXED_AT));
            if (took.isNegative()) {
                excluded++;
            } else {
                seconds.add(took.getSeconds() + took.getNano() / 1e9);
            }
        }
        excluded += db.fetchCount(FINDING, scope
                .and(FINDING.STATUS.in(FindingStatus.FALSE_POSITIVE.slug(), FindingStatus.RISK_ACCEPTED.slug()))
                .and(FINDING.STATUS_CHANGED_AT.gt(from)).and(FINDING.STATUS_CHANGED_AT.le(now)));
        DurationStatistics stats = DurationStatistics.of(seconds.stream().mapToDouble(Double::doubleValue).toArray(),
                settings.bootstrapResamples());
        return new RemediationTime(window, from.toInstant(), now.toInstant(), blank(team), blank(service),
                level == null ? null : level.slug(), stats.n(), excluded, stats.median(), stats.p90(), stats.mean(),
                stats.medianCi90(), stats.n() < settings.minimumSample());
    }

    /**
     * Open (open or in progress) and overdue findings per service and severity, sorted by team,
     * service and severity (critical first). Services without open findings are not listed.
     */
    public List<OpenCount> openCounts(String team, String service) {
        expiry.expireDue();
        OffsetDateTime now = OffsetDateTime.now(clock);
        Map<String, String> teams = catalog.services().stream().filter(s -> s.owningTeam() != null)
                .collect(Collectors.toMap(ServiceSummary::name, ServiceSummary::owningTeam));
        Field<Integer> overdue = DSL.sum(DSL.when(FINDING.DUE_AT.lt(now), 1).otherwise(0)).cast(Integer.class);
        return db.select(FINDING.SERVICE_NAME, FINDING.SEVERITY, DSL.count(), overdue).from(FINDING)
                .where(scope(team, service, null).and(FINDING.ACTIONABLE.isTrue()))
                .groupBy(FINDING.SERVICE_NAME, FINDING.SEVERITY)
                .fetch(r -> new OpenCount(teams.get(r.value1()), r.value1(), Severity.parse(r.value2()), r.value3(),
                        r.value4() == null ? 0 : r.value4()))
                .stream()
                .sorted(Comparator.comparing((OpenCount c) -> c.team() == null ? "\uffff" : c.team())
                        .thenComparing(OpenCount::service).thenComparing(c -> -c.severity().rank()))
                .toList();
    }

    /** Totals of {@link #openCounts} by severity, critical first (every severity listed, zeros included). */
    public static List<OpenCount> bySeverity(List<OpenCount> counts) {
        List<OpenCount> totals = new ArrayList<>();
        for (Severity severity : Severity.values()) {
            long open = counts.stream().filter(c -> c.severity() == severity).mapToLong(OpenCount::open).sum();
            long overdue = counts.stream().filter(c -> c.severity() == severity).mapToLong(OpenCount::overdue).sum();
            totals.add(new OpenCount(null, null, severity, open, overdue));
        }
        return totals;
    }

    private Condition scope(String team, String service, Severity severity) {
        List<Condition> conditions = new ArrayList<>();
        if (team != null && !team.isBlank()) {
            Set<String> services = catalog.services().stream().filter(s -> team.trim().equals(s.owningTeam()))
                    .map(ServiceSummary::name).collect(Collectors.toCollection(TreeSet::new));
            conditions.add(services.isEmpty() ? DSL.falseCondition() : FINDING.SERVICE_NAME.in(services));
        }
        if (service != null && !service.isBlank()) {
            conditions.add(FINDING.SERVICE_NAME.eq(service.trim()));
        }
        if (severity != null) {
            conditions.add(FINDING.SEVERITY.eq(severity.slug()));
        }
        return DSL.and(conditions);
    }

    private static Severity severity(String severity) {
        return severity == null || severity.isBlank() ? null : Severity.parse(severity);
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** Windows are positive ISO-8601 durations such as P90D or PT12H. */
    static Duration parseWindow(String window) {
        if (window == null || window.isBlank()) {
            throw new IllegalArgumentException("window is required, e.g. P90D");
        }
        try {
            Duration duration = Duration.parse(window.trim());
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("window must be a positive ISO-8601 duration, e.g. P90D");
            }
            return duration;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("window '" + window + "' is not an ISO-8601 duration such as P90D");
        }
    }
}

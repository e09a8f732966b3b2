package dev.assay.findings;

import static dev.assay.findings.internal.db.Tables.FINDING;
import static dev.assay.findings.internal.db.Tables.FINDING_EVENT;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record3;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Service;

import dev.assay.catalog.Catalog;
import dev.assay.catalog.FigureScope;
import dev.assay.catalog.ServiceSummary;
import dev.assay.findings.internal.DurationStatistics;
import dev.assay.findings.internal.FindingsSettings;
import dev.assay.findings.internal.RiskAcceptanceExpiry;
import dev.assay.findings.internal.ServiceScopes;

/**
 * The figures of the findings feature (DESIGN §5), for pages, {@code /api/v1/metrics} and the
 * metrics rollups: SLA compliance, time to remediate, and open / overdue counts by severity per team
 * and service. Every method may be narrowed to a team (the services it owns now), a service and a
 * severity (null or blank: all). Windows end now (the application clock) and are ISO-8601
 * durations such as {@code P90D}. Risk acceptances past their expiry are reopened first, so a
 * figure never counts an acceptance that has run out. The {@code …ByScope} methods answer many
 * scopes (the metrics rollup's organisation, teams and services) from one reading of the catalog
 * and a query or two, each answer equal to the single figure; the single methods are those with one
 * scope.
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
        FigureScope scope = new FigureScope(team, service);
        return slaCompliance(window, List.of(scope), severity(severity), clock.instant()).get(scope);
    }

    /**
     * {@link #slaCompliance} of every scope (all severities), from one reading of the catalog and
     * two queries: each answer equals the figure of that scope alone.
     */
    public Map<FigureScope, SlaCompliance> slaComplianceByScope(String window, List<FigureScope> scopes) {
        return slaComplianceByScope(window, scopes, clock.instant());
    }

    /**
     * {@link #slaComplianceByScope(String, List)} as it stood at {@code asOf} (the metrics rollup's
     * backfill; see {@link #changedSince} for how a finding's state then is known). With {@code asOf}
     * = the clock's now this is exactly the figure of now.
     */
    public Map<FigureScope, SlaCompliance> slaComplianceByScope(String window, List<FigureScope> scopes, Instant asOf) {
        return slaCompliance(window, scopes, null, asOf);
    }

    private Map<FigureScope, SlaCompliance> slaCompliance(String window, List<FigureScope> scopes, Severity level, Instant asOf) {
        Duration length = parseWindow(window);
        expiry.expireDue();
        OffsetDateTime now = asOf.atOffset(ZoneOffset.UTC);
        OffsetDateTime from = now.minus(length);
        ServiceScopes services = ServiceScopes.of(scopes, catalog::services);
        Condition narrowed = narrowed(services, scopes, level).and(FINDING.FIRST_SEEN_AT.le(now));
        Condition unchanged = unchangedSince(now);
        Map<String, long[]> closed = new HashMap<>();
        db.select(FINDING.SERVICE_NAME, DSL.count(),
                        DSL.sum(DSL.when(FINDING.FIXED_AT.le(FINDING.DUE_AT), 1).otherwise(0)))
                .from(FINDING)
                .where(narrowed.and(unchanged).and(FINDING.STATUS.eq(FindingStatus.FIXED.slug()))
                        .and(FINDING.FIXED_AT.gt(from)).and(FINDING.FIXED_AT.le(now)))
                .groupBy(FINDING.SERVICE_NAME)
                .forEach(r -> closed.put(r.value1(), new long[] {r.value2(), r.value3() == null ? 0 : r.value3().longValue()}));
        Map<String, Integer> pastDue = new HashMap<>(db.select(FINDING.SERVICE_NAME, DSL.count()).from(FINDING)
                .where(narrowed.and(unchanged).and(FINDING.ACTIONABLE.isTrue()).and(FINDING.DUE_AT.lt(now)))
                .groupBy(FINDING.SERVICE_NAME)
                .fetchMap(r -> r.value1(), r -> r.value2()));
        changedSince(now, narrowed, earlier -> {
            if (earlier.fixedIn(from, now)) {
                long[] counts = closed.computeIfAbsent(earlier.service(), k -> new long[2]);
                counts[0]++;
                counts[1] += earlier.changedAt().isAfter(earlier.due()) ? 0 : 1;
            } else if (earlier.status().actionable() && earlier.due().isBefore(now)) {
                pastDue.merge(earlier.service(), 1, Integer::sum);
            }
        });
        Map<FigureScope, SlaCompliance> answers = new LinkedHashMap<>();
        for (FigureScope scope : scopes) {
            long closedAll = 0;
            long within = 0;
            for (long[] counts : services.select(scope, closed)) {
                closedAll += counts[0];
                within += counts[1];
            }
            long openPastDue = services.select(scope, pastDue).stream().mapToLong(Integer::longValue).sum();
            answers.put(scope, new SlaCompliance(window, from.toInstant(), now.toInstant(), scope.team(),
                    scope.service(), level == null ? null : level.slug(), within, closedAll - within, openPastDue));
        }
        return answers;
    }

    /**
     * Fixed − first seen of the findings fixed in the window, with the findings closed in it without
     * a fix counted as excluded.
     */
    public RemediationTime timeToRemediate(String window, String team, String service, String severity) {
        FigureScope scope = new FigureScope(team, service);
        return timeToRemediate(window, List.of(scope), severity(severity), clock.instant()).get(scope);
    }

    /**
     * {@link #timeToRemediate} of every scope (all severities), from one reading of the catalog and
     * two queries: each answer equals the figure of that scope alone.
     */
    public Map<FigureScope, RemediationTime> timeToRemediateByScope(String window, List<FigureScope> scopes) {
        return timeToRemediateByScope(window, scopes, clock.instant());
    }

    /**
     * {@link #timeToRemediateByScope(String, List)} as it stood at {@code asOf} (the metrics rollup's
     * backfill; see {@link #changedSince}). With {@code asOf} = the clock's now this is exactly the
     * figure of now.
     */
    public Map<FigureScope, RemediationTime> timeToRemediateByScope(String window, List<FigureScope> scopes, Instant asOf) {
        return timeToRemediate(window, scopes, null, asOf);
    }

    private Map<FigureScope, RemediationTime> timeToRemediate(String window, List<FigureScope> scopes, Severity level,
            Instant asOf) {
        Duration length = parseWindow(window);
        expiry.expireDue();
        OffsetDateTime now = asOf.atOffset(ZoneOffset.UTC);
        OffsetDateTime from = now.minus(length);
        ServiceScopes services = ServiceScopes.of(scopes, catalog::services);
        Condition narrowed = narrowed(services, scopes, level).and(FINDING.FIRST_SEEN_AT.le(now));
        Condition unchanged = unchangedSince(now);
        // Per service: the remediation times (seconds) of its findings fixed in the window, and how
        // many were excluded (fixed before first seen; closed without a fix).
        Map<String, List<Double>> seconds = new HashMap<>();
        Map<String, Integer> excluded = new HashMap<>();
        for (Record3<String, OffsetDateTime, OffsetDateTime> r : db
                .select(FINDING.SERVICE_NAME, FINDING.FIRST_SEEN_AT, FINDING.FIXED_AT).from(FINDING)
                .where(narrowed.and(unchanged).and(FINDING.STATUS.eq(FindingStatus.FIXED.slug()))
                        .and(FINDING.FIXED_AT.gt(from)).and(FINDING.FIXED_AT.le(now)))
                .fetch()) {
            remediated(r.value1(), r.value2(), r.value3(), seconds, excluded);
        }
        db.select(FINDING.SERVICE_NAME, DSL.count()).from(FINDING)
                .where(narrowed.and(unchanged)
                        .and(FINDING.STATUS.in(FindingStatus.FALSE_POSITIVE.slug(), FindingStatus.RISK_ACCEPTED.slug()))
                        .and(FINDING.STATUS_CHANGED_AT.gt(from)).and(FINDING.STATUS_CHANGED_AT.le(now)))
                .groupBy(FINDING.SERVICE_NAME)
                .forEach(r -> excluded.merge(r.value1(), r.value2(), Integer::sum));
        changedSince(now, narrowed, earlier -> {
            if (earlier.fixedIn(from, now)) {
                remediated(earlier.service(), earlier.firstSeen(), earlier.changedAt(), seconds, excluded);
            } else if ((earlier.status() == FindingStatus.FALSE_POSITIVE || earlier.status() == FindingStatus.RISK_ACCEPTED)
                    && earlier.changedAt() != null && earlier.changedAt().isAfter(from) && !earlier.changedAt().isAfter(now)) {
                excluded.merge(earlier.service(), 1, Integer::sum);
            }
        });
        Map<FigureScope, RemediationTime> answers = new LinkedHashMap<>();
        for (FigureScope scope : scopes) {
            double[] values = services.select(scope, seconds).stream().flatMap(List::stream)
                    .mapToDouble(Double::doubleValue).toArray();
            int excludedInScope = services.select(scope, excluded).stream().mapToInt(Integer::intValue).sum();
            DurationStatistics stats = DurationStatistics.of(values, settings.bootstrapResamples());
            answers.put(scope, new RemediationTime(window, from.toInstant(), now.toInstant(), scope.team(),
                    scope.service(), level == null ? null : level.slug(), stats.n(), excludedInScope, stats.median(),
                    stats.p90(), stats.mean(), stats.medianCi90(), stats.n() < settings.minimumSample()));
        }
        return answers;
    }

    /**
     * Open (open or in progress) and overdue findings per service and severity, sorted by team,
     * service and severity (critical first). Services without open findings are not listed.
     */
    public List<OpenCount> openCounts(String team, String service) {
        FigureScope scope = new FigureScope(team, service);
        return openCountsByScope(List.of(scope)).get(scope);
    }

    /**
     * {@link #openCounts} of every scope, from one reading of the catalog and one query: each list
     * equals (same counts, same order) the list of that scope alone.
     */
    public Map<FigureScope, List<OpenCount>> openCountsByScope(List<FigureScope> scopes) {
        return openCountsByScope(scopes, clock.instant());
    }

    /**
     * {@link #openCountsByScope(List)} as they stood at {@code asOf} (the metrics rollup's backfill;
     * see {@link #changedSince}): findings first seen by then and open or in progress then, overdue
     * when due before then. With {@code asOf} = the clock's now these are exactly the counts of now.
     */
    public Map<FigureScope, List<OpenCount>> openCountsByScope(List<FigureScope> scopes, Instant asOf) {
        expiry.expireDue();
        OffsetDateTime now = asOf.atOffset(ZoneOffset.UTC);
        List<ServiceSummary> catalogServices = catalog.services();
        Map<String, String> teams = catalogServices.stream().filter(s -> s.owningTeam() != null)
                .collect(Collectors.toMap(ServiceSummary::name, ServiceSummary::owningTeam));
        ServiceScopes services = new ServiceScopes(catalogServices);
        Field<Integer> overdue = DSL.sum(DSL.when(FINDING.DUE_AT.lt(now), 1).otherwise(0)).cast(Integer.class);
        Condition narrowed = narrowed(services, scopes, null).and(FINDING.FIRST_SEEN_AT.le(now));
        // service → severity → {open, overdue}
        Map<String, Map<Severity, long[]>> bySeverity = new HashMap<>();
        db.select(FINDING.SERVICE_NAME, FINDING.SEVERITY, DSL.count(), overdue).from(FINDING)
                .where(narrowed.and(unchangedSince(now)).and(FINDING.ACTIONABLE.isTrue()))
                .groupBy(FINDING.SERVICE_NAME, FINDING.SEVERITY)
                .forEach(r -> {
                    long[] c = bySeverity.computeIfAbsent(r.value1(), k -> new HashMap<>())
                            .computeIfAbsent(Severity.parse(r.value2()), k -> new long[2]);
                    c[0] += r.value3();
                    c[1] += r.value4() == null ? 0 : r.value4();
                });
        changedSince(now, narrowed, earlier -> {
            if (earlier.status().actionable()) {
                long[] c = bySeverity.computeIfAbsent(earlier.service(), k -> new HashMap<>())
                        .computeIfAbsent(earlier.severity(), k -> new long[2]);
                c[0]++;
                c[1] += earlier.due().isBefore(now) ? 1 : 0;
            }
        });
        Map<String, List<OpenCount>> counts = new HashMap<>();
        bySeverity.forEach((service, severities) -> severities.forEach((severity, c) -> counts
                .computeIfAbsent(service, k -> new ArrayList<>())
                .add(new OpenCount(teams.get(service), service, severity, c[0], c[1]))));
        Comparator<OpenCount> order = Comparator.comparing((OpenCount c) -> c.team() == null ? "\uffff" : c.team())
                .thenComparing(OpenCount::service).thenComparing(c -> -c.severity().rank());
        Map<FigureScope, List<OpenCount>> answers = new LinkedHashMap<>();
        for (FigureScope scope : scopes) {
            answers.put(scope, services.select(scope, counts).stream().flatMap(List::stream).sorted(order).toList());
        }
        return answers;
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

    private static void remediated(String service, OffsetDateTime firstSeen, OffsetDateTime fixed,
            Map<String, List<Double>> seconds, Map<String, Integer> excluded) {
        Duration took = Duration.between(firstSeen, fixed);
        List<Double> times = seconds.computeIfAbsent(service, s -> new ArrayList<>());
        if (took.isNegative()) {
            excluded.merge(service, 1, Integer::sum);
        } else {
            times.add(took.getSeconds() + took.getNano() / 1e9);
        }
    }

    /** A change of status in a finding's history (not a comment, an assignment or a request that changed none). */
    private static Condition statusChange(dev.assay.findings.internal.db.tables.FindingEvent event) {
        return event.FROM_STATUS.isNotNull().and(event.TO_STATUS.isNotNull()).and(event.FROM_STATUS.ne(event.TO_STATUS));
    }

    /**
     * Whether any finding's status changed after {@code asOf} (one indexed probe): when none did, as
     * for the figures of now, every finding's stored state is its state then and nothing is rewound.
     */
    private boolean changedAfter(OffsetDateTime asOf) {
        return db.fetchExists(FINDING_EVENT, FINDING_EVENT.OCCURRED_AT.gt(asOf).and(statusChange(FINDING_EVENT)));
    }

    /** Findings whose status has not changed after {@code asOf}: their stored state is their state then. */
    private Condition unchangedSince(OffsetDateTime asOf) {
        if (!changedAfter(asOf)) {
            return DSL.noCondition();
        }
        return DSL.notExists(DSL.selectOne().from(FINDING_EVENT).where(FINDING_EVENT.FINDING_ID.eq(FINDING.ID))
                .and(statusChange(FINDING_EVENT)).and(FINDING_EVENT.OCCURRED_AT.gt(asOf)));
    }

    /**
     * A finding's state at a past instant, for one whose status changed since: its status then, when
     * that status began (for a fixed finding, when it was fixed), and its severity and due date as
     * stored now (neither keeps a history).
     */
    private record Earlier(String service, Severity severity, OffsetDateTime firstSeen, OffsetDateTime due,
            FindingStatus status, OffsetDateTime changedAt) {

        boolean fixedIn(OffsetDateTime from, OffsetDateTime to) {
            return status == FindingStatus.FIXED && changedAt != null && changedAt.isAfter(from) && !changedAt.isAfter(to);
        }
    }

    /**
     * The findings (first seen by {@code asOf}, within {@code narrowed}) whose status changed after
     * {@code asOf}, each with its state at {@code asOf} from its history (finding_event): the status
     * it had then is the "from" status of its first status change after {@code asOf}, and that status
     * began at its last status change up to {@code asOf}. Findings are dated by the evidence that
     * reported them (first seen and fixed: the scans' times) and by when people changed them.
     * Every other finding's stored state is its state at {@code asOf} ({@link #unchangedSince}).
     * Streamed, so memory does not grow with the findings.
     */
    private void changedSince(OffsetDateTime asOf, Condition narrowed, java.util.function.Consumer<Earlier> each) {
        if (!changedAfter(asOf)) {
            return;
        }
        var after = FINDING_EVENT.as("after_as_of");
        var before = FINDING_EVENT.as("before_as_of");
        Field<Integer> rank = DSL.rowNumber().over(DSL.partitionBy(after.FINDING_ID).orderBy(after.OCCURRED_AT, after.ID)).as("rank");
        var first = db.select(after.FINDING_ID, after.FROM_STATUS, rank).from(after)
                .where(statusChange(after)).and(after.OCCURRED_AT.gt(asOf)).asTable("first_after");
        Field<OffsetDateTime> since = DSL.field(DSL.select(DSL.max(before.OCCURRED_AT)).from(before)
                .where(before.FINDING_ID.eq(FINDING.ID)).and(statusChange(before)).and(before.OCCURRED_AT.le(asOf)));
        try (var rows = db.select(FINDING.SERVICE_NAME, FINDING.SEVERITY, FINDING.FIRST_SEEN_AT, FINDING.DUE_AT,
                        first.field(after.FROM_STATUS), since)
                .from(FINDING).join(first).on(first.field(after.FINDING_ID).eq(FINDING.ID)).and(first.field(rank).eq(1))
                .where(narrowed).fetchSize(1_000).fetchLazy()) {
            for (var r : rows) {
                each.accept(new Earlier(r.value1(), Severity.parse(r.value2()), r.value3(), r.value4(),
                        FindingStatus.parse(r.value5()), r.value6()));
            }
        }
    }

    /** The findings any of the scopes may count (of the severity, when one is given). */
    private static Condition narrowed(ServiceScopes services, List<FigureScope> scopes, Severity severity) {
        List<Condition> conditions = new ArrayList<>();
        Set<String> names = services.narrowing(scopes);
        if (names != null) {
            conditions.add(names.isEmpty() ? DSL.falseCondition() : FINDING.SERVICE_NAME.in(names));
        }
        if (severity != null) {
            conditions.add(FINDING.SEVERITY.eq(severity.slug()));
        }
        return DSL.and(conditions);
    }

    private static Severity severity(String severity) {
        return severity == null || severity.isBlank() ? null : Severity.parse(severity);
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

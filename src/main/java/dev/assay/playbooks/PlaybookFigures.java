package dev.assay.playbooks;

import static dev.assay.playbooks.internal.db.Tables.DRILL;
import static dev.assay.playbooks.internal.db.Tables.DRILL_SCOPE;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.assay.catalog.Catalog;
import dev.assay.catalog.FigureScope;
import dev.assay.catalog.Ratio;
import dev.assay.catalog.ServiceSummary;

/**
 * The playbook figures (DESIGN §5, docs/metrics.md):
 * <ul>
 * <li><b>drill coverage</b>: operated tier-1 services with a <em>finished</em> drill of a runbook that
 * named the service, finished within the window (default 90 days) before now, over all operated
 * tier-1 services;</li>
 * <li><b>runbook freshness</b>: runbooks reviewed within their review interval, over all runbooks.</li>
 * </ul>
 * Both are computed from the current catalog and the playbooks tables on each call, with the
 * application clock. The {@code …ByScope} methods answer many scopes (the metrics rollup's
 * organisation, teams and services) from one reading, each answer equal to the single figure.
 */
@Service
@Transactional(readOnly = true)
public class PlaybookFigures {

    public static final Duration DRILL_WINDOW = Duration.ofDays(90);

    private final DSLContext db;
    private final Clock clock;
    private final Catalog catalog;
    private final Runbooks runbooks;

    PlaybookFigures(DSLContext db, Clock clock, Catalog catalog, Runbooks runbooks) {
        this.db = db;
        this.clock = clock;
        this.catalog = catalog;
        this.runbooks = runbooks;
    }

    /** Drill coverage over the last 90 days, for everything. */
    public Ratio drillCoverage() {
        return drillCoverage(DRILL_WINDOW, null, null);
    }

    /**
     * @param team    only tier-1 services whose owning team (or declared owner) is this team
     * @param service only this service
     */
    public Ratio drillCoverage(Duration window, String team, String service) {
        FigureScope scope = new FigureScope(team, service);
        return drillCoverageByScope(window, List.of(scope)).get(scope);
    }

    /**
     * {@link #drillCoverage} of every scope, from one reading of the catalog and one query: each
     * answer equals the figure of that scope alone.
     */
    public Map<FigureScope, Ratio> drillCoverageByScope(Duration window, List<FigureScope> scopes) {
        return drillCoverageByScope(window, scopes, clock.instant());
    }

    /**
     * {@link #drillCoverageByScope(Duration, List)} as it stood at {@code asOf} (the metrics rollup's
     * backfill): drills finished in (asOf − window, asOf]; a drill finished later had not happened yet.
     * The services counted (operated, tier 1, their owning team) are today's catalog, which keeps no
     * history. With {@code asOf} = the clock's now this is exactly the figure of now.
     */
    public Map<FigureScope, Ratio> drillCoverageByScope(Duration window, List<FigureScope> scopes, Instant asOf) {
        Map<String, Instant> drilled = lastFinishedDrills(window, asOf);
        List<ServiceSummary> tierOne = tierOneServices(null, null);
        Map<String, ServiceSummary> byName = new HashMap<>();
        Map<String, List<ServiceSummary>> byTeam = new HashMap<>();
        for (ServiceSummary service : tierOne) {
            byName.put(service.name(), service);
            if (service.owningTeam() != null) {
                byTeam.computeIfAbsent(service.owningTeam(), t -> new ArrayList<>()).add(service);
            }
            if (service.declaredOwner() != null && !service.declaredOwner().equals(service.owningTeam())) {
                byTeam.computeIfAbsent(service.declaredOwner(), t -> new ArrayList<>()).add(service);
            }
        }
        Map<FigureScope, Ratio> answers = new LinkedHashMap<>();
        for (FigureScope scope : scopes) {
            List<ServiceSummary> inScope;
            if (scope.service() != null) {
                ServiceSummary service = byName.get(scope.service());
                inScope = service == null || !(scope.team() == null || scope.team().equals(service.owningTeam())
                        || scope.team().equals(service.declaredOwner())) ? List.of() : List.of(service);
            } else if (scope.team() != null) {
                inScope = byTeam.getOrDefault(scope.team(), List.of());
            } else {
                inScope = tierOne;
            }
            answers.put(scope, new Ratio(inScope.stream().filter(s -> drilled.containsKey(s.name())).count(),
                    inScope.size()));
        }
        return answers;
    }

    /**
     * Each operated tier-1 service in scope with the finish time of its last drill inside the window
     * (null when none): the page lists the gaps beside the figure.
     */
    public Map<String, Instant> drillCoverageDetail(Duration window, String team, String service) {
        Map<String, Instant> drilled = lastFinishedDrills(window, clock.instant());
        Map<String, Instant> detail = new java.util.TreeMap<>();
        tierOneServices(team, service).forEach(s -> detail.put(s.name(), drilled.get(s.name())));
        return detail;
    }

    /**
     * Runbooks whose last review plus their interval is not before now, over all runbooks;
     * {@code team} / {@code service} narrow to the runbooks that concern them (as the runbook list does).
     */
    public Ratio runbookFreshness(String team, String service) {
        FigureScope scope = new FigureScope(team, service);
        return runbookFreshnessByScope(List.of(scope)).get(scope);
    }

    /**
     * {@link #runbookFreshness} of every scope, from one reading of the runbooks (and of the catalog
     * when a scope names a team): each answer equals the figure of that scope alone. A runbook that
     * concerns a team in several ways (the team and services it owns) counts once.
     */
    public Map<FigureScope, Ratio> runbookFreshnessByScope(List<FigureScope> scopes) {
        List<RunbookSummary> all = runbooks.all();
        Map<String, BitSet> byTeam = new HashMap<>();
        Map<String, BitSet> byService = new HashMap<>();
        BitSet fresh = new BitSet();
        for (int i = 0; i < all.size(); i++) {
            RunbookSummary runbook = all.get(i);
            for (String team : runbook.teams()) {
                byTeam.computeIfAbsent(team, t -> new BitSet()).set(i);
            }
            for (String service : runbook.services()) {
                byService.computeIfAbsent(service, t -> new BitSet()).set(i);
            }
            fresh.set(i, !runbook.stale());
        }
        Map<String, Set<String>> owned = new HashMap<>();
        if (scopes.stream().anyMatch(s -> s.team() != null)) {
            for (ServiceSummary service : catalog.services()) {
                if (service.owningTeam() != null) {
                    owned.computeIfAbsent(service.owningTeam(), t -> new HashSet<>()).add(service.name());
                }
            }
        }
        Map<FigureScope, Ratio> answers = new LinkedHashMap<>();
        for (FigureScope scope : scopes) {
            BitSet inScope = new BitSet();
            if (scope.team() == null) {
                inScope.set(0, all.size());
            } else {
                inScope.or(byTeam.getOrDefault(scope.team(), new BitSet()));
                for (String service : owned.getOrDefault(scope.team(), Set.of())) {
                    inScope.or(byService.getOrDefault(service, new BitSet()));
                }
            }
            if (scope.service() != null) {
                inScope.and(byService.getOrDefault(scope.service(), new BitSet()));
            }
            long total = inScope.cardinality();
            inScope.and(fresh);
            answers.put(scope, new Ratio(inScope.cardinality(), total));
        }
        return answers;
    }

    private List<ServiceSummary> tierOneServices(String team, String service) {
        return catalog.services().stream()
                .filter(ServiceSummary::operated)
                .filter(s -> s.tier() != null && s.tier() == 1)
                .filter(s -> team == null || team.isBlank() || team.equals(s.owningTeam()) || team.equals(s.declaredOwner()))
                .filter(s -> service == null || service.isBlank() || service.equals(s.name()))
                .toList();
    }

    /** Service → finish time of its latest finished drill in (asOf − window, asOf]. */
    private Map<String, Instant> lastFinishedDrills(Duration window, Instant asOf) {
        if (window == null || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be a positive duration, e.g. P90D");
        }
        OffsetDateTime now = OffsetDateTime.ofInstant(asOf, ZoneOffset.UTC);
        var latest = DSL.max(DRILL.FINISHED_AT);
        return db.select(DRILL_SCOPE.SCOPE_VALUE, latest).from(DRILL_SCOPE).join(DRILL).on(DRILL.ID.eq(DRILL_SCOPE.DRILL_ID))
                .where(DRILL_SCOPE.KIND.eq("service").and(DRILL.STATUS.eq(DrillDetail.FINISHED))
                        .and(DRILL.FINISHED_AT.gt(now.minus(window))).and(DRILL.FINISHED_AT.le(now)))
                .groupBy(DRILL_SCOPE.SCOPE_VALUE)
                .fetchMap(r -> r.value1(), r -> r.value2().toInstant());
    }
}

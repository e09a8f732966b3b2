package dev.assay.playbooks;

import static dev.assay.playbooks.internal.db.Tables.DRILL;
import static dev.assay.playbooks.internal.db.Tables.DRILL_SCOPE;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.assay.catalog.Catalog;
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
 * application clock.
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
        List<ServiceSummary> scope = tierOneServices(team, service);
        Map<String, Instant> drilled = lastFinishedDrills(window);
        return new Ratio(scope.stream().filter(s -> drilled.containsKey(s.name())).count(), scope.size());
    }

    /**
     * Each operated tier-1 service in scope with the finish time of its last drill inside the window
     * (null when none): the page lists the gaps beside the figure.
     */
    public Map<String, Instant> drillCoverageDetail(Duration window, String team, String service) {
        Map<String, Instant> drilled = lastFinishedDrills(window);
        Map<String, Instant> detail = new java.util.TreeMap<>();
        tierOneServices(team, service).forEach(s -> detail.put(s.name(), drilled.get(s.name())));
        return detail;
    }

    /**
     * Runbooks whose last review plus their interval is not before now, over all runbooks;
     * {@code team} / {@code service} narrow to the runbooks that concern them (as the runbook list does).
     */
    public Ratio runbookFreshness(String team, String service) {
        Set<String> owned = team == null || team.isBlank() ? Set.of() : runbooks.servicesOwnedBy(team);
        List<RunbookSummary> scope = runbooks.all().stream()
                .filter(r -> team == null || team.isBlank() || Runbooks.concernsTeam(r, team, owned))
                .filter(r -> service == null || service.isBlank() || r.services().contains(service))
                .toList();
        return new Ratio(scope.stream().filter(r -> !r.stale()).count(), scope.size());
    }

    private List<ServiceSummary> tierOneServices(String team, String service) {
        return catalog.services().stream()
                .filter(ServiceSummary::operated)
                .filter(s -> s.tier() != null && s.tier() == 1)
                .filter(s -> team == null || team.isBlank() || team.equals(s.owningTeam()) || team.equals(s.declaredOwner()))
                .filter(s -> service == null || service.isBlank() || service.equals(s.name()))
                .toList();
    }

    /** Service → finish time of its latest finished drill in (now − window, now]. */
    private Map<String, Instant> lastFinishedDrills(Duration window) {
        if (window == null || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be a positive duration, e.g. P90D");
        }
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        var latest = DSL.max(DRILL.FINISHED_AT);
        return db.select(DRILL_SCOPE.SCOPE_VALUE, latest).from(DRILL_SCOPE).join(DRILL).on(DRILL.ID.eq(DRILL_SCOPE.DRILL_ID))
                .where(DRILL_SCOPE.KIND.eq("service").and(DRILL.STATUS.eq(DrillDetail.FINISHED))
                        .and(DRILL.FINISHED_AT.gt(now.minus(window))).and(DRILL.FINISHED_AT.le(now)))
                .groupBy(DRILL_SCOPE.SCOPE_VALUE)
                .fetchMap(r -> r.value1(), r -> r.value2().toInstant());
    }
}

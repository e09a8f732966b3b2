package dev.assay.findings.internal;

import static dev.assay.findings.internal.db.Tables.FINDING;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.assay.common.PageRequest;
import dev.assay.common.PageResult;
import dev.assay.findings.FindingSource;
import dev.assay.findings.FindingStatus;
import dev.assay.findings.Severity;
import dev.assay.findings.internal.FindingAccess.UserAccess;
import dev.assay.findings.internal.db.tables.records.FindingRecord;

/**
 * Lists of findings for pages, the API and CSV: filtered, ordered, keyset-paged, and always limited
 * to what the user may see. The queries use the indexes of V30: (service_name, status, due_at, id)
 * for a team's queue and (status, due_at, id) for everything.
 */
@Service
@Transactional(readOnly = true)
public class FindingSearch {

    /** Rows per query when a whole list is exported. */
    static final int EXPORT_CHUNK = 1_000;

    private final DSLContext db;
    private final Clock clock;

    FindingSearch(DSLContext db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** One keyset page: the rows after {@code after} (null: the first page). */
    public FindingSlice slice(UserAccess user, FindingFilter filter, FindingSort sort, String after, int size) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        Condition where = condition(user, filter, now);
        Condition page = after == null || after.isBlank() ? where : where.and(sort.after(after.trim()));
        List<FindingRecord> rows = db.selectFrom(FINDING).where(page).orderBy(sort.orderBy()).limit(size + 1).fetch();
        String next = rows.size() > size ? sort.cursorAfter(rows.get(size - 1)) : null;
        List<FindingRow> items = rows(rows.subList(0, Math.min(size, rows.size())), user, now.toInstant());
        return new FindingSlice(items, next, db.fetchCount(FINDING, where));
    }

    /** A numbered page (the API's {@code ?page=&size=}). */
    public PageResult<FindingRow> page(UserAccess user, FindingFilter filter, FindingSort sort, PageRequest page) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        Condition where = condition(user, filter, now);
        List<FindingRow> items = rows(db.selectFrom(FINDING).where(where).orderBy(sort.orderBy())
                .limit(page.size()).offset(page.offset()).fetch(), user, now.toInstant());
        return new PageResult<>(items, db.fetchCount(FINDING, where), page.page(), page.size());
    }

    /**
     * Every matching row, in order, handed over a chunk at a time (CSV export): each chunk is its own
     * keyset query, so an export of a million rows never holds them all in memory or one long cursor.
     */
    public void export(UserAccess user, FindingFilter filter, FindingSort sort, Consumer<List<FindingRow>> chunks) {
        String after = null;
        do {
            FindingSlice slice = sliceWithoutTotal(user, filter, sort, after);
            if (!slice.items().isEmpty()) {
                chunks.accept(slice.items());
            }
            after = slice.next();
        } while (after != null);
    }

    private FindingSlice sliceWithoutTotal(UserAccess user, FindingFilter filter, FindingSort sort, String after) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        Condition where = condition(user, filter, now);
        Condition page = after == null ? where : where.and(sort.after(after));
        List<FindingRecord> rows = db.selectFrom(FINDING).where(page).orderBy(sort.orderBy()).limit(EXPORT_CHUNK + 1).fetch();
        String next = rows.size() > EXPORT_CHUNK ? sort.cursorAfter(rows.get(EXPORT_CHUNK - 1)) : null;
        return new FindingSlice(rows(rows.subList(0, Math.min(EXPORT_CHUNK, rows.size())), user, now.toInstant()), next, -1);
    }

    /** One finding, if it exists (visibility is the caller's check: it needs to tell 404 from 403). */
    public Optional<FindingRow> row(UserAccess user, long id) {
        return db.selectFrom(FINDING).where(FINDING.ID.eq(id)).fetchOptional()
                .map(r -> toRow(r, user, clock.instant()));
    }

    /**
     * Open and overdue findings by severity (critical first, zeros included) within the list's scope,
     * team, service and source; the status, severity and due filters do not apply (the summary says
     * what is open, whatever the table shows).
     */
    public List<SeverityCount> summary(UserAccess user, FindingFilter filter) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        FindingFilter scopeOnly = new FindingFilter(filter.scope(), filter.team(), filter.service(), null,
                FindingStatus.ACTIONABLE, filter.source(), null, null);
        java.util.Map<String, SeverityCount> counts = new java.util.HashMap<>();
        db.select(FINDING.SEVERITY, DSL.count(), DSL.sum(DSL.when(FINDING.DUE_AT.lt(now), 1).otherwise(0)))
                .from(FINDING).where(condition(user, scopeOnly, now)).groupBy(FINDING.SEVERITY)
                .forEach(r -> counts.put(r.value1(), new SeverityCount(Severity.parse(r.value1()), r.value2(),
                        r.value3() == null ? 0 : r.value3().longValue())));
        List<SeverityCount> all = new ArrayList<>();
        for (Severity severity : Severity.values()) {
            all.add(counts.getOrDefault(severity.slug(), new SeverityCount(severity, 0, 0)));
        }
        return all;
    }

    /** Open (open or in progress) findings of one severity and how many are overdue. */
    public record SeverityCount(Severity severity, long open, long overdue) {
    }

    /** The services of the list's scope: what the user may see, narrowed by the filter's scope and team. */
    Set<String> services(UserAccess user, FindingFilter filter) {
        Set<String> services = user.visibleServices();
        if (filter.scope() != null) {
            services = intersect(services, filter.scope());
        }
        if (filter.team() != null) {
            services = intersect(services, user.servicesOf(filter.team()));
        }
        return services;
    }

    Condition condition(UserAccess user, FindingFilter filter, OffsetDateTime now) {
        List<Condition> conditions = new ArrayList<>();
        Set<String> services = services(user, filter);
        if (services != null) {
            conditions.add(services.isEmpty() ? DSL.falseCondition() : FINDING.SERVICE_NAME.in(services));
        }
        if (filter.service() != null) {
            conditions.add(FINDING.SERVICE_NAME.eq(filter.service()));
        }
        if (filter.severity() != null) {
            conditions.add(FINDING.SEVERITY.eq(filter.severity().slug()));
        }
        if (filter.statuses().equals(FindingStatus.ACTIONABLE)) {
            conditions.add(FINDING.ACTIONABLE.isTrue());
        } else if (!filter.statuses().isEmpty()) {
            conditions.add(FINDING.STATUS.in(filter.statuses().stream().map(FindingStatus::slug).sorted().toList()));
        }
        if (filter.source() != null) {
            conditions.add(FINDING.SOURCE.eq(filter.source().slug()));
        }
        if (filter.due() != null) {
            if (filter.due() == DueFilter.OVERDUE) {
                conditions.add(FINDING.DUE_AT.lt(now));
            } else {
                conditions.add(FINDING.DUE_AT.ge(now).and(FINDING.DUE_AT.lt(now.plus(filter.due().within()))));
            }
        }
        if (filter.assignee() != null) {
            conditions.add(FINDING.ASSIGNEE.eq(filter.assignee()));
        }
        return DSL.and(conditions);
    }

    static Set<String> intersect(Set<String> a, Set<String> b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        Set<String> both = new TreeSet<>(a);
        both.retainAll(b);
        return both;
    }

    /** The rows of a page, their services read from the catalog in one go. */
    private static List<FindingRow> rows(List<FindingRecord> records, UserAccess user, Instant now) {
        user.lookUp(records.stream().map(FindingRecord::getServiceName).distinct().toList());
        return records.stream().map(r -> toRow(r, user, now)).toList();
    }

    static FindingRow toRow(Record r, UserAccess user, Instant now) {
        FindingStatus status = FindingStatus.parse(r.get(FINDING.STATUS));
        Instant due = r.get(FINDING.DUE_AT).toInstant();
        Instant fixedAt = r.get(FINDING.FIXED_AT) == null ? null : r.get(FINDING.FIXED_AT).toInstant();
        FindingSource source = FindingSource.parse(r.get(FINDING.SOURCE));
        boolean scan = source != FindingSource.POLICY;
        String service = r.get(FINDING.SERVICE_NAME);
        return new FindingRow(r.get(FINDING.ID), service, user.owningTeam(service), source, r.get(FINDING.RULE_ID),
                r.get(FINDING.SUBJECT), scan && !r.get(FINDING.INSTALLED_VERSION).isEmpty() ? r.get(FINDING.INSTALLED_VERSION) : null,
                r.get(FINDING.FIXED_VERSION), r.get(FINDING.TITLE), Severity.parse(r.get(FINDING.SEVERITY)),
                r.get(FINDING.CVSS_SCORE), r.get(FINDING.CVSS_VECTOR), status, r.get(FINDING.ASSIGNEE),
                r.get(FINDING.FIRST_SEEN_AT).toInstant(), r.get(FINDING.LAST_SEEN_AT).toInstant(), due,
                r.get(FINDING.SLA_DAYS), fixedAt, r.get(FINDING.STATUS_CHANGED_AT).toInstant(),
                SlaState.of(status, due, fixedAt, now));
    }
}

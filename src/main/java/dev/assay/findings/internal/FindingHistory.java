package dev.assay.findings.internal;

import static dev.assay.findings.internal.db.Tables.FINDING_EVENT;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jooq.DSLContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

import dev.assay.common.AuditEvent;
import dev.assay.findings.FindingStatus;

import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a finding's history (finding_event) and, for every change, the audit line (AuditEvent,
 * stored by the security feature in the same transaction). Callers run inside their transaction.
 */
@Component
public class FindingHistory {

    static final int DETAIL_MAX = 4000;

    private final DSLContext db;
    private final ApplicationEventPublisher events;
    private final JsonMapper json = JsonMapper.builder().build();

    FindingHistory(DSLContext db, ApplicationEventPublisher events) {
        this.db = db;
        this.events = events;
    }

    /** A history line only (no audit line): creation and new reports by scans, which no person made. */
    public void note(long findingId, OffsetDateTime at, String actor, String action, String detail) {
        insert(findingId, at, actor, action, null, null, detail);
    }

    /**
     * A change: a history line and an audit line with the state before and after.
     *
     * @param before the fields that changed, as they were (e.g. {@code status}, {@code assignee})
     * @param after  the same fields afterwards
     */
    public void change(long findingId, OffsetDateTime at, String actor, String action, FindingStatus from, FindingStatus to,
            String detail, Map<String, Object> before, Map<String, Object> after) {
        insert(findingId, at, actor, action, from, to, detail);
        events.publishEvent(new AuditEvent(actor, "finding." + action, "finding", Long.toString(findingId),
                before == null ? null : json.writeValueAsString(before), after == null ? null : json.writeValueAsString(after)));
    }

    /** Status before and after, plus the detail, as audit state. */
    public void transition(long findingId, OffsetDateTime at, String actor, String action, FindingStatus from,
            FindingStatus to, String detail) {
        Map<String, Object> before = new LinkedHashMap<>();
        before.put("status", from.slug());
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("status", to.slug());
        if (detail != null) {
            after.put("detail", detail);
        }
        change(findingId, at, actor, action, from, to, detail, before, after);
    }

    private void insert(long findingId, OffsetDateTime at, String actor, String action, FindingStatus from,
            FindingStatus to, String detail) {
        db.insertInto(FINDING_EVENT)
                .set(FINDING_EVENT.FINDING_ID, findingId)
                .set(FINDING_EVENT.OCCURRED_AT, at)
                .set(FINDING_EVENT.ACTOR, cut(actor, 200))
                .set(FINDING_EVENT.ACTION, action)
                .set(FINDING_EVENT.FROM_STATUS, from == null ? null : from.slug())
                .set(FINDING_EVENT.TO_STATUS, to == null ? null : to.slug())
                .set(FINDING_EVENT.DETAIL, cut(detail, DETAIL_MAX))
                .execute();
    }

    static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max - 1) + "…";
    }
}

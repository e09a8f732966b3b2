package dev.assay.findings.internal;

import static dev.assay.findings.internal.db.Tables.FINDING;
import static dev.assay.findings.internal.db.Tables.SLA_POLICY;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.assay.catalog.Catalog;
import dev.assay.catalog.ServiceSummary;
import dev.assay.common.AuditEvent;
import dev.assay.findings.FindingStatus;
import dev.assay.findings.Severity;

/**
 * The SLA policy (DESIGN §5): days from first seen to due, per severity, optionally per tier. Only
 * SECURITY edits it. A change re-applies the policy to every finding that is not fixed (fixed ones
 * keep the SLA they were judged by, so past compliance does not change after the fact).
 */
@Service
public class SlaPolicies {

    public static final int MAX_DAYS = 3650;

    private final DSLContext db;
    private final Catalog catalog;
    private final FindingAccess access;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    SlaPolicies(DSLContext db, Catalog catalog, FindingAccess access, Clock clock, ApplicationEventPublisher events) {
        this.db = db;
        this.catalog = catalog;
        this.access = access;
        this.clock = clock;
        this.events = events;
    }

    /**
     * The defaults of DESIGN §5, used for a severity whose "any tier" row is missing (V31 inserts
     * them, but an emptied table must not leave findings without a due date).
     */
    public static final Map<Severity, Integer> BUILT_IN_DAYS = Map.of(Severity.CRITICAL, 7, Severity.HIGH, 30,
            Severity.MEDIUM, 90, Severity.LOW, 180, Severity.UNKNOWN, 180);
    static final String BUILT_IN = "built-in default";

    /** Every rule, by severity (critical first) then tier; a missing default shows as the built-in one. */
    @Transactional(readOnly = true)
    public List<SlaRule> rules() {
        List<SlaRule> rules = new java.util.ArrayList<>(db.selectFrom(SLA_POLICY).fetch(r -> new SlaRule(
                Severity.parse(r.getSeverity()), r.getTier(), r.getDays(), r.getUpdatedAt().toInstant(), r.getUpdatedBy())));
        for (Severity severity : Severity.values()) {
            if (rules.stream().noneMatch(r -> r.severity() == severity && r.tier() == 0)) {
                rules.add(new SlaRule(severity, 0, BUILT_IN_DAYS.get(severity), null, BUILT_IN));
            }
        }
        return rules.stream().sorted(Comparator.comparing((SlaRule r) -> -r.severity().rank()).thenComparing(SlaRule::tier))
                .toList();
    }

    /** The policy as a lookup, read once per unit of work. */
    @Transactional(readOnly = true)
    public SlaTable table() {
        Map<String, Integer> days = new HashMap<>();
        db.selectFrom(SLA_POLICY).forEach(r -> days.put(r.getSeverity() + "/" + r.getTier(), r.getDays()));
        return new SlaTable(days);
    }

    /** Sets the days for a severity (and tier; 0 = the default), then re-applies the policy. */
    @Transactional
    public int set(Severity severity, int tier, int days, Authentication user) {
        access.requireSecurity(user, "Only a SECURITY user can change the SLA policy");
        if (tier < 0 || tier > 3) {
            throw new IllegalArgumentException("tier must be 0 (any tier), 1, 2 or 3, was " + tier);
        }
        if (days < 1 || days > MAX_DAYS) {
            throw new IllegalArgumentException("days must be between 1 and " + MAX_DAYS + ", was " + days);
        }
        Integer before = db.select(SLA_POLICY.DAYS).from(SLA_POLICY)
                .where(SLA_POLICY.SEVERITY.eq(severity.slug()).and(SLA_POLICY.TIER.eq(tier))).fetchOne(SLA_POLICY.DAYS);
        if (before != null && before == days) {
            return 0;
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        if (before == null) {
            db.insertInto(SLA_POLICY).set(SLA_POLICY.SEVERITY, severity.slug()).set(SLA_POLICY.TIER, tier)
                    .set(SLA_POLICY.DAYS, days).set(SLA_POLICY.UPDATED_AT, now).set(SLA_POLICY.UPDATED_BY, user.getName())
                    .execute();
        } else {
            db.update(SLA_POLICY).set(SLA_POLICY.DAYS, days).set(SLA_POLICY.UPDATED_AT, now)
                    .set(SLA_POLICY.UPDATED_BY, user.getName())
                    .where(SLA_POLICY.SEVERITY.eq(severity.slug()).and(SLA_POLICY.TIER.eq(tier))).execute();
        }
        events.publishEvent(new AuditEvent(user.getName(), "sla-policy.set", "sla_policy", severity.slug() + "/tier-" + tier,
                before == null ? null : "{\"days\":" + before + "}", "{\"days\":" + days + "}"));
        return reapply();
    }

    /** Removes a tier's override (the default of a severity cannot be removed), then re-applies the policy. */
    @Transactional
    public int removeOverride(Severity severity, int tier, Authentication user) {
        access.requireSecurity(user, "Only a SECURITY user can change the SLA policy");
        if (tier < 1 || tier > 3) {
            throw new IllegalArgumentException("Only a tier override (tier 1, 2 or 3) can be removed; tier 0 is the default");
        }
        Integer before = db.select(SLA_POLICY.DAYS).from(SLA_POLICY)
                .where(SLA_POLICY.SEVERITY.eq(severity.slug()).and(SLA_POLICY.TIER.eq(tier))).fetchOne(SLA_POLICY.DAYS);
        if (before == null) {
            throw new FindingNotFoundException("There is no " + severity.slug() + " SLA override for tier " + tier);
        }
        db.deleteFrom(SLA_POLICY).where(SLA_POLICY.SEVERITY.eq(severity.slug()).and(SLA_POLICY.TIER.eq(tier))).execute();
        events.publishEvent(new AuditEvent(user.getName(), "sla-policy.override-removed", "sla_policy",
                severity.slug() + "/tier-" + tier, "{\"days\":" + before + "}", null));
        return reapply();
    }

    /**
     * Refreshes the service tiers from the catalog and sets sla_days and due_at of every finding that
     * is not fixed from the current policy. Set-based: one UPDATE per severity and tier, whatever the
     * number of findings. Answers the number of findings whose SLA changed.
     */
    @Transactional
    public int reapply() {
        for (ServiceSummary service : catalog.services()) {
            updateTier(service.name(), service.tier());
        }
        return recompute(DSL.noCondition());
    }

    /**
     * Before a service's findings are touched by intake: when the catalog gives the service another
     * tier than its findings carry, their SLA is recomputed under the new tier.
     */
    @Transactional
    public void reapplyToService(String serviceName, Integer tier) {
        if (updateTier(serviceName, tier) > 0) {
            recompute(FINDING.SERVICE_NAME.eq(serviceName));
        }
    }

    private int updateTier(String serviceName, Integer tier) {
        return db.update(FINDING).set(FINDING.SERVICE_TIER, tier)
                .where(FINDING.SERVICE_NAME.eq(serviceName).and(FINDING.SERVICE_TIER.isDistinctFrom(tier)))
                .execute();
    }

    private int recompute(Condition scope) {
        SlaTable table = table();
        int changed = 0;
        for (Severity severity : Severity.values()) {
            for (Integer tier : new Integer[] {null, 1, 2, 3}) {
                int days = table.days(severity, tier);
                Condition tierCondition = tier == null
                        ? FINDING.SERVICE_TIER.isNull().or(FINDING.SERVICE_TIER.notBetween(1, 3))
                        : FINDING.SERVICE_TIER.eq(tier);
                changed += db.update(FINDING)
                        .set(FINDING.SLA_DAYS, days)
                        .set(FINDING.DUE_AT, FINDING.FIRST_SEEN_AT.plus(days))
                        .where(scope.and(FINDING.SEVERITY.eq(severity.slug())).and(tierCondition)
                                .and(FINDING.STATUS.ne(FindingStatus.FIXED.slug()))
                                .and(FINDING.SLA_DAYS.ne(days)))
                        .execute();
            }
        }
        return changed;
    }

    /** The policy, looked up by severity and tier. */
    public record SlaTable(Map<String, Integer> days) {

        public int days(Severity severity, Integer tier) {
            Integer forTier = tier == null ? null : days.get(severity.slug() + "/" + tier);
            if (forTier != null) {
                return forTier;
            }
            Integer fallback = days.get(severity.slug() + "/0");
            return fallback != null ? fallback : BUILT_IN_DAYS.get(severity);
        }

        public OffsetDateTime due(OffsetDateTime firstSeen, Severity severity, Integer tier) {
            return firstSeen.plus(Duration.ofDays(days(severity, tier))).withOffsetSameInstant(ZoneOffset.UTC);
        }
    }
}

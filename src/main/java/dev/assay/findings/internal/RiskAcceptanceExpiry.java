package dev.assay.findings.internal;

import static dev.assay.findings.internal.db.Tables.RISK_ACCEPTANCE;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;

import org.jooq.DSLContext;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.assay.findings.FindingStatus;
import dev.assay.findings.internal.db.tables.records.FindingRecord;
import dev.assay.findings.internal.db.tables.records.RiskAcceptanceRecord;

/**
 * Reopens findings whose approved risk acceptance has run out. Runs on a schedule
 * ({@code assay.findings.expiry-check-interval}) and before findings are read, so a page never
 * shows an acceptance as in force after its expiry even between two runs.
 * <p>
 * Safe to run on several instances at once without a cluster lock: each acceptance is ended by a
 * conditional UPDATE ({@code … WHERE status = 'approved'}), which only one transaction can win; the
 * loser changes nothing. The history line is dated at the expiry, not at when it was noticed.
 */
@Service
public class RiskAcceptanceExpiry {

    static final String ACTOR = "system:risk-acceptance-expiry";
    /** Per transaction; a backlog is worked off in further batches. */
    static final int BATCH = 200;

    private final DSLContext db;
    private final FindingWriter writer;
    private final SlaPolicies sla;
    private final Clock clock;

    RiskAcceptanceExpiry(DSLContext db, FindingWriter writer, SlaPolicies sla, Clock clock) {
        this.db = db;
        this.writer = writer;
        this.sla = sla;
        this.clock = clock;
    }

    /**
     * Ends approved acceptances whose expiry has passed and reopens their findings. Its own
     * transaction, so it may be called from a read-only one.
     *
     * @return the number of findings reopened
     */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public int expireDue() {
        OffsetDateTime now = OffsetDateTime.now(clock);
        List<RiskAcceptanceRecord> due = db.selectFrom(RISK_ACCEPTANCE)
                .where(RISK_ACCEPTANCE.STATUS.eq(FindingWriter.RA_APPROVED).and(RISK_ACCEPTANCE.EXPIRES_AT.le(now)))
                .orderBy(RISK_ACCEPTANCE.EXPIRES_AT, RISK_ACCEPTANCE.ID).limit(BATCH).fetch();
        if (due.isEmpty()) {
            return 0;
        }
        SlaPolicies.SlaTable policy = sla.table();
        int reopened = 0;
        for (RiskAcceptanceRecord acceptance : due) {
            OffsetDateTime expiredAt = acceptance.getExpiresAt();
            int won = db.update(RISK_ACCEPTANCE).set(RISK_ACCEPTANCE.STATUS, "expired").set(RISK_ACCEPTANCE.ENDED_AT, expiredAt)
                    .where(RISK_ACCEPTANCE.ID.eq(acceptance.getId()).and(RISK_ACCEPTANCE.STATUS.eq(FindingWriter.RA_APPROVED)))
                    .execute();
            if (won == 0) {
                continue;
            }
            FindingRecord finding = writer.lock(acceptance.getFindingId());
            if (FindingStatus.parse(finding.getStatus()) == FindingStatus.RISK_ACCEPTED) {
                writer.reopen(finding, expiredAt, ACTOR, "risk-acceptance-expired", "risk acceptance " + acceptance.getId()
                        + " (approved by " + acceptance.getDecidedBy() + ") expired", policy);
                reopened++;
            }
        }
        return reopened;
    }
}

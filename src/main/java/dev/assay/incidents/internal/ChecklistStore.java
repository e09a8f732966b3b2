package dev.assay.incidents.internal;

import static dev.assay.incidents.internal.db.Tables.INCIDENT_CHECKLIST_STEP;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;

/** Reads and writes the ticked steps of an incident's runbook checklist; callers check permissions and audit. */
@Repository
public class ChecklistStore {

    /** A step done during the incident. */
    public record DoneStep(long runbookId, int runbookVersion, int position, String title, Instant doneAt, String doneBy,
            String note) {
    }

    private final DSLContext db;

    ChecklistStore(DSLContext db) {
        this.db = db;
    }

    /** The steps ticked for the incident against this runbook, by position. */
    public List<DoneStep> done(long incidentId, long runbookId) {
        return db.selectFrom(INCIDENT_CHECKLIST_STEP)
                .where(INCIDENT_CHECKLIST_STEP.INCIDENT_ID.eq(incidentId).and(INCIDENT_CHECKLIST_STEP.RUNBOOK_ID.eq(runbookId)))
                .orderBy(INCIDENT_CHECKLIST_STEP.POSITION)
                .fetch(r -> new DoneStep(r.getRunbookId(), r.getRunbookVersion(), r.getPosition(), r.getStepTitle(),
                        r.getDoneAt().toInstant(), r.getDoneBy(), r.getNote()));
    }

    /** Records the step as done; answers false (and changes nothing) when it already was. */
    public boolean markDone(long incidentId, DoneStep step) {
        return db.insertInto(INCIDENT_CHECKLIST_STEP)
                .set(INCIDENT_CHECKLIST_STEP.INCIDENT_ID, incidentId)
                .set(INCIDENT_CHECKLIST_STEP.RUNBOOK_ID, step.runbookId())
                .set(INCIDENT_CHECKLIST_STEP.RUNBOOK_VERSION, step.runbookVersion())
                .set(INCIDENT_CHECKLIST_STEP.POSITION, step.position())
                .set(INCIDENT_CHECKLIST_STEP.STEP_TITLE, step.title())
                .set(INCIDENT_CHECKLIST_STEP.DONE_AT, step.doneAt().atOffset(ZoneOffset.UTC))
                .set(INCIDENT_CHECKLIST_STEP.DONE_BY, step.doneBy())
                .set(INCIDENT_CHECKLIST_STEP.NOTE, step.note())
                .onConflictDoNothing()
                .execute() == 1;
    }
}

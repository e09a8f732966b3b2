package dev.assay.incidents.internal;

import java.util.ArrayList;
import java.util.List;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.assay.incidents.internal.MappedIncident.MappedEvent;
import dev.assay.incidents.internal.MappedIncident.UpstreamRef;
import dev.assay.playbooks.DrillFinished;
import dev.assay.playbooks.DrillStarted;

/**
 * Every drill gets its incident, flagged {@code is_drill}, so drills show in the incident list and
 * on service pages beside real incidents while never counting in production MTTD / MTTR (the
 * figures leave drills out; {@code ?drills=true} shows them). Detected at the drill's start,
 * mitigated and resolved at its finish; linked to the runbook it practised. The listener runs inside
 * the drill's transaction: the drill and its incident commit or roll back together.
 */
@Component
class DrillIncidents {

    /** The source id and type of drill incidents (they come from no external tracker). */
    static final String SOURCE = "drills";

    private final IncidentStore store;
    private final ReviewStore reviews;

    DrillIncidents(IncidentStore store, ReviewStore reviews) {
        this.store = store;
        this.reviews = reviews;
    }

    @EventListener
    public void on(DrillStarted drill) {
        List<MappedEvent> events = List.of(new MappedEvent(drill.startedAt(), "started", drill.startedBy(),
                "Drill of runbook " + drill.runbookSlug() + " v" + drill.runbookVersion() + " started"));
        MappedIncident incident = incident(drill.drillId(), drill.kind(), drill.runbookSlug(), drill.runbookVersion(), "running",
                drill.startedAt(), null, drill.services(), events);
        long id = store.upsert(incident, drill.services()).id();
        reviews.linkRunbook(id, drill.runbookId());
    }

    @EventListener
    public void on(DrillFinished drill) {
        List<MappedEvent> events = new ArrayList<>();
        events.add(new MappedEvent(drill.startedAt(), "started", null,
                "Drill of runbook " + drill.runbookSlug() + " v" + drill.runbookVersion() + " started"));
        events.add(new MappedEvent(drill.finishedAt(), "resolved", drill.finishedBy(), "Drill finished: " + drill.outcome() + " ("
                + drill.stepsCompleted() + " steps completed, " + drill.stepsSkipped() + " skipped, " + drill.stepsNotDone()
                + " not done, " + drill.stepsLate() + " late)"));
        MappedIncident incident = incident(drill.drillId(), drill.kind(), drill.runbookSlug(), drill.runbookVersion(),
                "finished: " + drill.outcome(), drill.startedAt(), drill.finishedAt(), drill.services(), events);
        long id = store.upsert(incident, drill.services()).id();
        reviews.linkRunbook(id, drill.runbookId());
    }

    private static MappedIncident incident(long drillId, String kind, String runbookSlug, int version, String status,
            java.time.Instant startedAt, java.time.Instant finishedAt, List<String> services, List<MappedEvent> events) {
        List<UpstreamRef> refs = services.stream().map(s -> new UpstreamRef(UpstreamRef.NAME, s)).toList();
        return new MappedIncident(SOURCE, "drill", "drill-" + drillId, "DRILL-" + drillId,
                "Drill (" + kind + "): " + runbookSlug + " v" + version, null, status, true, startedAt, startedAt, null,
                finishedAt, finishedAt, finishedAt == null ? startedAt : finishedAt, "/drills/" + drillId,
                String.join(", ", services), refs, events, null, null);
    }
}

package dev.assay.incidents.internal.collect;

import org.springframework.batch.core.listener.SkipListener;

import dev.assay.collect.Quarantine;
import dev.assay.incidents.internal.MappedIncident;

/** Quarantines an incident the database refused to store (a value too long, a constraint). */
public class IncidentWriteSkipListener implements SkipListener<CollectedItem, MappedIncident> {

    private final Quarantine quarantine;
    private final long jobExecutionId;
    private final String kind;

    public IncidentWriteSkipListener(Quarantine quarantine, long jobExecutionId, String kind) {
        this.quarantine = quarantine;
        this.jobExecutionId = jobExecutionId;
        this.kind = kind;
    }

    @Override
    public void onSkipInWrite(MappedIncident item, Throwable t) {
        Throwable root = t;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        quarantine.hold(item.sourceId(), kind, "incident " + item.externalId(), item.toString(),
                "the store refused the incident: " + root.getMessage(), jobExecutionId);
    }
}

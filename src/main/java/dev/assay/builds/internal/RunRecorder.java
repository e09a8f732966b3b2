package dev.assay.builds.internal;

import java.util.List;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Stores a mapped run the same way for every path (collected, pushed): services resolved through
 * the catalog's links, the upsert, then the anomaly check for a run that is new or changed.
 */
@Component
public class RunRecorder {

    private final RunStore store;
    private final RunServices services;
    private final BuildAnomalies anomalies;

    RunRecorder(RunStore store, RunServices services, BuildAnomalies anomalies) {
        this.store = store;
        this.services = services;
        this.anomalies = anomalies;
    }

    public RunServices.Lookup lookup() {
        return services.lookup();
    }

    @Transactional
    public RunStore.Stored record(PipelineRun run, RunServices.Lookup lookup) {
        List<String> names = lookup.services(run.links());
        RunStore.Stored stored = store.upsert(run, names);
        if (stored.outcome() != RunStore.Outcome.UNCHANGED) {
            anomalies.check(stored.id(), run, names);
        }
        return stored;
    }
}

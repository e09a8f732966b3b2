package dev.assay.incidents.internal.collect;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

import dev.assay.collect.Cursors;
import dev.assay.collect.Watermarks;
import dev.assay.incidents.internal.IncidentStore;
import dev.assay.incidents.internal.MappedIncident;
import dev.assay.incidents.internal.ServiceResolver;

/**
 * Stores a chunk of mapped incidents (services resolved against the catalog as it is now, its links
 * looked up once for the chunk) with {@link IncidentStore#upsertAll}, then advances the source's
 * watermark to the newest of them: all in the chunk's one transaction.
 */
public class IncidentItemWriter implements ItemWriter<MappedIncident> {

    private final IncidentStore store;
    private final ServiceResolver resolver;
    private final Cursors cursors;

    public IncidentItemWriter(IncidentStore store, ServiceResolver resolver, Cursors cursors) {
        this.store = store;
        this.resolver = resolver;
        this.cursors = cursors;
    }

    @Override
    public void write(Chunk<? extends MappedIncident> chunk) {
        ServiceResolver.Snapshot catalog = resolver.snapshot();
        catalog.prefetch(chunk.getItems().stream().flatMap(i -> i.refs().stream()).toList());
        List<IncidentStore.Resolved> resolved = new ArrayList<>(chunk.size());
        Map<String, Instant> newest = new LinkedHashMap<>();
        for (MappedIncident incident : chunk) {
            resolved.add(new IncidentStore.Resolved(incident, catalog.resolve(incident.refs())));
            String key = incident.cursorKey();
            if (key != null && incident.cursorAt() != null) {
                newest.merge(key, incident.cursorAt(), (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        store.upsertAll(resolved);
        String sourceId = chunk.isEmpty() ? null : chunk.getItems().get(0).sourceId();
        newest.forEach((key, at) -> Watermarks.advance(cursors, sourceId, key, at));
    }
}

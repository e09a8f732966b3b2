package dev.assay.incidents.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.stereotype.Component;

import dev.assay.catalog.Catalog;
import dev.assay.incidents.internal.MappedIncident.UpstreamRef;

/**
 * Resolves what an upstream said about affected services into catalog service names.
 * <p>
 * Names win over links: a Jira component, label, Opsgenie tag or entity that equals a catalog
 * service name says exactly which service was hit, while a link (a Jira project key, an Opsgenie
 * team, sometimes a PagerDuty service) is often shared by several services. So when any name
 * resolves, only names count; otherwise every service linked to a PagerDuty service id, Opsgenie
 * team or Jira project key (the catalog's {@code pagerduty.com/service-id}, {@code opsgenie.com/team},
 * {@code jira/project-key} annotations) is affected.
 */
@Component
public class ServiceResolver {

    private static final int IN_LIST = 1_000;

    private final Catalog catalog;

    ServiceResolver(Catalog catalog) {
        this.catalog = catalog;
    }

    /**
     * A resolver over one snapshot of the catalog, for a chunk or a job: cheap to call per incident.
     * It learns what it is asked about (names and links), never the whole catalog.
     */
    public Snapshot snapshot() {
        return new Snapshot();
    }

    public final class Snapshot {

        /** Whether a name is a catalog service, for the names asked about so far. */
        private final Map<String, Boolean> names = new HashMap<>();
        private final Map<UpstreamRef, List<String>> linked = new HashMap<>();

        private Snapshot() {
        }

        /**
         * Looks up the names and links of all these references at once (one query for the names, one
         * per kind of link), so that resolving a chunk of incidents costs a few queries instead of one
         * per distinct reference.
         */
        public void prefetch(Collection<UpstreamRef> refs) {
            Set<String> unknownNames = new TreeSet<>();
            Map<String, Set<String>> missing = new HashMap<>();
            for (UpstreamRef ref : refs) {
                if (UpstreamRef.NAME.equals(ref.kind())) {
                    if (!names.containsKey(ref.value())) {
                        unknownNames.add(ref.value());
                    }
                } else if (!linked.containsKey(ref)) {
                    missing.computeIfAbsent(ref.kind(), k -> new TreeSet<>()).add(ref.value());
                }
            }
            for (List<String> slice : slices(unknownNames)) {
                Set<String> existing = catalog.existingServiceNames(slice);
                slice.forEach(name -> names.put(name, existing.contains(name)));
            }
            missing.forEach((kind, values) -> {
                for (List<String> slice : slices(values)) {
                    Map<String, List<String>> found = catalog.serviceNamesByLinks(kind, slice);
                    slice.forEach(value -> linked.put(new UpstreamRef(kind, value), found.getOrDefault(value, List.of())));
                }
            });
        }

        public List<String> resolve(List<UpstreamRef> refs) {
            Set<String> byName = new TreeSet<>();
            for (UpstreamRef ref : refs) {
                if (UpstreamRef.NAME.equals(ref.kind()) && isServiceName(ref.value())) {
                    byName.add(ref.value());
                }
            }
            if (!byName.isEmpty()) {
                return new ArrayList<>(byName);
            }
            Set<String> byLink = new TreeSet<>();
            for (UpstreamRef ref : refs) {
                if (!UpstreamRef.NAME.equals(ref.kind())) {
                    byLink.addAll(linked.computeIfAbsent(ref, r -> catalog.serviceNamesByLink(r.kind(), r.value())));
                }
            }
            return new ArrayList<>(byLink);
        }

        /** At most {@link #IN_LIST} values per query (bind values stay far below the drivers' limits). */
        private static List<List<String>> slices(Collection<String> values) {
            List<String> all = new ArrayList<>(values);
            List<List<String>> slices = new ArrayList<>();
            for (int from = 0; from < all.size(); from += IN_LIST) {
                slices.add(all.subList(from, Math.min(all.size(), from + IN_LIST)));
            }
            return slices;
        }

        private boolean isServiceName(String name) {
            return names.computeIfAbsent(name, n -> !catalog.existingServiceNames(List.of(n)).isEmpty());
        }
    }
}

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

    private final Catalog catalog;

    ServiceResolver(Catalog catalog) {
        this.catalog = catalog;
    }

    /** A resolver over one snapshot of the catalog, for a chunk or a job: cheap to call per incident. */
    public Snapshot snapshot() {
        return new Snapshot(catalog.serviceNames());
    }

    public final class Snapshot {

        private final Set<String> names;
        private final Map<UpstreamRef, List<String>> linked = new HashMap<>();

        private Snapshot(Set<String> names) {
            this.names = names;
        }

        /**
         * Looks up the links of all these references at once (one query per kind), so that resolving
         * a chunk of incidents costs a query per kind instead of one per distinct reference.
         */
        public void prefetch(Collection<UpstreamRef> refs) {
            Map<String, Set<String>> missing = new HashMap<>();
            for (UpstreamRef ref : refs) {
                if (!UpstreamRef.NAME.equals(ref.kind()) && !linked.containsKey(ref)) {
                    missing.computeIfAbsent(ref.kind(), k -> new TreeSet<>()).add(ref.value());
                }
            }
            missing.forEach((kind, values) -> {
                Map<String, List<String>> found = catalog.serviceNamesByLinks(kind, values);
                values.forEach(value -> linked.put(new UpstreamRef(kind, value), found.getOrDefault(value, List.of())));
            });
        }

        public List<String> resolve(List<UpstreamRef> refs) {
            Set<String> byName = new TreeSet<>();
            for (UpstreamRef ref : refs) {
                if (UpstreamRef.NAME.equals(ref.kind()) && names.contains(ref.value())) {
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
    }
}

package dev.assay.findings.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import dev.assay.catalog.FigureScope;
import dev.assay.catalog.ServiceSummary;

/**
 * Which services a figure scope covers, from one reading of the catalog: the organisation covers
 * every finding (whatever its service), a team the services it owns now, a service itself, a team
 * and a service that service if the team owns it. A finding belongs to exactly one service, so
 * summing per-service counts over a scope's services counts each finding once.
 */
public final class ServiceScopes {

    /** Above this many names, narrowing a query by service name costs more than it saves. */
    private static final int MAX_NARROWING = 1_000;

    private final Map<String, Set<String>> servicesByTeam = new HashMap<>();

    /** The scopes' services, reading the catalog only when a scope names a team. */
    public static ServiceScopes of(Collection<FigureScope> scopes, Supplier<List<ServiceSummary>> catalog) {
        return new ServiceScopes(scopes.stream().anyMatch(s -> s.team() != null) ? catalog.get() : List.of());
    }

    public ServiceScopes(List<ServiceSummary> services) {
        for (ServiceSummary service : services) {
            if (service.owningTeam() != null) {
                servicesByTeam.computeIfAbsent(service.owningTeam(), t -> new TreeSet<>()).add(service.name());
            }
        }
    }

    /** The services of a team or service scope; null for the organisation (every service, known or not). */
    public Set<String> services(FigureScope scope) {
        if (scope.team() == null && scope.service() == null) {
            return null;
        }
        Set<String> services = new TreeSet<>(scope.team() == null ? Set.of(scope.service())
                : servicesByTeam.getOrDefault(scope.team(), Set.of()));
        if (scope.service() != null) {
            services.retainAll(Set.of(scope.service()));
        }
        return services;
    }

    /**
     * The service names a query for all these scopes may be narrowed to; null when it should read
     * every service (a scope is the organisation, or the names are too many to list).
     */
    public Set<String> narrowing(Collection<FigureScope> scopes) {
        Set<String> union = new TreeSet<>();
        for (FigureScope scope : scopes) {
            Set<String> services = services(scope);
            if (services == null) {
                return null;
            }
            union.addAll(services);
            if (union.size() > MAX_NARROWING) {
                return null;
            }
        }
        return union;
    }

    /** The values of the scope's services in {@code byService} (services without a value left out). */
    public <T> List<T> select(FigureScope scope, Map<String, T> byService) {
        Set<String> services = services(scope);
        if (services == null) {
            return new ArrayList<>(byService.values());
        }
        List<T> selected = new ArrayList<>();
        for (String service : services) {
            T value = byService.get(service);
            if (value != null) {
                selected.add(value);
            }
        }
        return selected;
    }
}

package dev.assay.dashboard;

import org.springframework.stereotype.Component;

import dev.assay.catalog.Catalog;
import dev.assay.metrics.MetricsSettings;

/**
 * Validates the dashboard's and the report's query: a window the rollups store, a catalog team, a
 * catalog service and a league table column. Bad input is an {@link IllegalArgumentException} whose
 * message the page shows with a 400.
 */
@Component
class DashboardFilters {

    private final MetricsSettings settings;
    private final Catalog catalog;

    DashboardFilters(MetricsSettings settings, Catalog catalog) {
        this.settings = settings;
        this.catalog = catalog;
    }

    /** A validated filter; team and service are null for "all". */
    record Filter(String window, String team, String service, LeagueRow.Column sort) {
    }

    Filter filter(String window, String team, String service, String sort) {
        String chosen = window == null || window.isBlank() ? settings.defaultWindow() : window.strip();
        if (!settings.windows().contains(chosen)) {
            throw new IllegalArgumentException("window '" + chosen + "' is not one of the rolled-up windows "
                    + settings.windows());
        }
        String teamName = blankToNull(team);
        if (teamName != null && !catalog.hasTeam(teamName)) {
            throw new IllegalArgumentException("No team named '" + teamName + "'");
        }
        String serviceName = blankToNull(service);
        if (serviceName != null && !catalog.hasService(serviceName)) {
            throw new IllegalArgumentException("No service named '" + serviceName + "'");
        }
        return new Filter(chosen, teamName, serviceName, LeagueRow.Column.of(sort));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}

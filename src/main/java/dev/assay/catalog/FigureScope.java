package dev.assay.catalog;

/**
 * The filter of one figure, as the figure services and {@code /api/v1/metrics} take it: the
 * organisation (both null), a team, a service, or a team and a service (the service if that team
 * owns it). The rollup job asks for many scopes at once ({@code …ByScope} methods), and each answer
 * equals the figure the same filter gives alone.
 */
public record FigureScope(String team, String service) {

    public FigureScope {
        team = team == null || team.isBlank() ? null : team.strip();
        service = service == null || service.isBlank() ? null : service.strip();
    }

    public static FigureScope organisation() {
        return new FigureScope(null, null);
    }

    public static FigureScope ofTeam(String team) {
        return new FigureScope(team, null);
    }

    public static FigureScope ofService(String service) {
        return new FigureScope(null, service);
    }
}

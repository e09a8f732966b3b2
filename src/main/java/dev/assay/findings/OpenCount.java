package dev.assay.findings;

/**
 * Open findings (open or in progress) of one service and severity, and how many of them are overdue.
 *
 * @param team the service's owning team now, or null
 */
public record OpenCount(String team, String service, Severity severity, long open, long overdue) {
}

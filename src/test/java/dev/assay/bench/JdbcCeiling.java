package dev.assay.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

/**
 * The ceiling for incident ingest: the rows the collector writes for each incident (one
 * {@code incident}, one {@code incident_service}, one {@code incident_upstream_ref} and its
 * timeline events, {@code incident_event}) inserted with plain JDBC batches of 1,000 incidents, one
 * commit per batch, under a source id of its own; then deleted again.
 */
final class JdbcCeiling {

    static final String SOURCE_ID = "bench-jdbc-ceiling";
    private static final long ID_BASE = 2_000_000_000L;
    private static final int BATCH = 1_000;

    private JdbcCeiling() {
    }

    /** @return incidents per second */
    static double measure(DataSource dataSource, List<Organisation.Incident> incidents) throws SQLException {
        long started = System.nanoTime();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement incident = connection.prepareStatement("""
                    insert into incident (id, source_id, source_type, external_id, display_ref, title, severity, status,
                      is_drill, detected_at, acknowledged_at, resolved_at, occurred_at, upstream_updated_at, url,
                      upstream_services, content_sha256, first_collected_at, updated_at)
                    values (?, ?, 'pagerduty', ?, ?, ?, 'high', ?, false, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""");
                    PreparedStatement service = connection.prepareStatement(
                            "insert into incident_service (incident_id, service_name) values (?, ?)");
                    PreparedStatement ref = connection.prepareStatement(
                            "insert into incident_upstream_ref (incident_id, kind, ref_value) values (?, 'pagerduty', ?)");
                    PreparedStatement event = connection.prepareStatement(
                            "insert into incident_event (incident_id, position, occurred_at, kind, actor, summary) values (?, ?, ?, ?, ?, ?)")) {
                Timestamp now = Timestamp.from(Instant.now());
                int n = 0;
                for (Organisation.Incident i : incidents) {
                    long id = ID_BASE + i.number();
                    incident.setLong(1, id);
                    incident.setString(2, SOURCE_ID);
                    incident.setString(3, i.id());
                    incident.setString(4, "#" + i.number());
                    incident.setString(5, i.service().name() + ": elevated error rate");
                    incident.setString(6, i.resolved() ? "resolved" : "acknowledged");
                    incident.setTimestamp(7, Timestamp.from(i.created()));
                    incident.setTimestamp(8, Timestamp.from(i.acknowledged()));
                    incident.setTimestamp(9, i.resolved() ? Timestamp.from(i.resolvedAt()) : null);
                    incident.setTimestamp(10, Timestamp.from(i.created()));
                    incident.setTimestamp(11, Timestamp.from(i.resolved() ? i.resolvedAt() : i.acknowledged()));
                    incident.setString(12, "https://bench.pagerduty.com/incidents/" + i.id());
                    incident.setString(13, i.service().name() + " (" + i.service().pagerDutyId() + ")");
                    incident.setString(14, "0".repeat(64));
                    incident.setTimestamp(15, now);
                    incident.setTimestamp(16, now);
                    incident.addBatch();
                    service.setLong(1, id);
                    service.setString(2, i.service().name());
                    service.addBatch();
                    ref.setLong(1, id);
                    ref.setString(2, i.service().pagerDutyId());
                    ref.addBatch();
                    int position = 0;
                    addEvent(event, id, position++, i.created(), "trigger", i.service().name(), "Triggered through the API");
                    addEvent(event, id, position++, i.acknowledged(), "acknowledge", "Owner", "Acknowledged");
                    if (i.resolved()) {
                        addEvent(event, id, position, i.resolvedAt(), "resolve", "Owner", "Resolved");
                    }
                    if (++n % BATCH == 0) {
                        flush(connection, incident, service, ref, event);
                    }
                }
                flush(connection, incident, service, ref, event);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        remove(dataSource);
        return incidents.size() / seconds;
    }

    private static void addEvent(PreparedStatement event, long id, int position, Instant at, String kind, String actor,
            String summary) throws SQLException {
        event.setLong(1, id);
        event.setInt(2, position);
        event.setTimestamp(3, Timestamp.from(at));
        event.setString(4, kind);
        event.setString(5, actor);
        event.setString(6, summary);
        event.addBatch();
    }

    private static void flush(Connection connection, PreparedStatement incident, PreparedStatement service,
            PreparedStatement ref, PreparedStatement event) throws SQLException {
        incident.executeBatch();
        service.executeBatch();
        ref.executeBatch();
        event.executeBatch();
        connection.commit();
    }

    private static void remove(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement("delete from incident where source_id = ?")) {
            delete.setString(1, SOURCE_ID);
            delete.executeUpdate();
        }
    }
}

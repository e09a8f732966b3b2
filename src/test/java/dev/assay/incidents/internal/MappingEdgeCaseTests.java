package dev.assay.incidents.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.assay.collect.RecordRejectedException;
import dev.assay.common.UntrustedJson;
import dev.assay.incidents.internal.collect.Windows;

/** Timestamp parsing, the Jira field mapping and the incremental start point, without Spring. */
class MappingEdgeCaseTests {

    final UntrustedJson json = new UntrustedJson();

    @Test
    void timestampsWithAnyOffsetStyleBecomeInstantsAndZonelessOnesAreRefused() throws Exception {
        Instant expected = Instant.parse("2020-12-03T13:05:20.974Z");
        assertThat(Timestamps.parse("2020-12-03T14:05:20.974+0100", "f")).isEqualTo(expected);
        assertThat(Timestamps.parse("2020-12-03T14:05:20.974+01:00", "f")).isEqualTo(expected);
        assertThat(Timestamps.parse("2020-12-03T13:05:20.974Z", "f")).isEqualTo(expected);
        assertThat(Timestamps.parse("2020-12-03T08:05:20.974-0500", "f")).isEqualTo(expected);
        assertThat(Timestamps.parse("2021-11-24T12:14:41.03Z", "f")).isEqualTo(Instant.parse("2021-11-24T12:14:41.030Z"));
        // across a DST change: Europe/Paris 2024-03-31 02:00 → 03:00; the offsets say which instant it is
        assertThat(Timestamps.parse("2024-03-31T01:59:00+01:00", "f")).isEqualTo(Instant.parse("2024-03-31T00:59:00Z"));
        assertThat(Timestamps.parse("2024-03-31T03:01:00+02:00", "f")).isEqualTo(Instant.parse("2024-03-31T01:01:00Z"));
        // PagerDuty's whole-second UTC form (read without the general formatter), and impossible ones refused
        assertThat(Timestamps.parse("2023-11-19T05:51:15Z", "f")).isEqualTo(Instant.parse("2023-11-19T05:51:15Z"));
        assertThat(Timestamps.parse("2024-02-29T23:59:59Z", "f")).isEqualTo(Instant.parse("2024-02-29T23:59:59Z"));
        assertThatThrownBy(() -> Timestamps.parse("2023-02-29T05:51:15Z", "created")).hasMessage(
                "created '2023-02-29T05:51:15Z' is not an ISO-8601 timestamp");
        assertThatThrownBy(() -> Timestamps.parse("2023-11-19T25:51:15Z", "created")).hasMessage(
                "created '2023-11-19T25:51:15Z' is not an ISO-8601 timestamp");
        assertThatThrownBy(() -> Timestamps.parse("2023-1a-19T05:51:15Z", "created")).hasMessage(
                "created '2023-1a-19T05:51:15Z' is not an ISO-8601 timestamp");
        assertThat(Timestamps.parse(null, "f")).isNull();
        assertThat(Timestamps.parse("  ", "f")).isNull();
        assertThatThrownBy(() -> Timestamps.parse("2020-12-03T14:05:20", "created"))
                .isInstanceOf(RecordRejectedException.class)
                .hasMessage("created '2020-12-03T14:05:20' has no time-zone offset; Assay does not guess the zone of a timestamp");
        assertThatThrownBy(() -> Timestamps.parse("03/12/2020", "created")).hasMessage(
                "created '03/12/2020' is not an ISO-8601 timestamp");
    }

    @Test
    void jiraFieldMappingValidatesKeysAndFieldIds() {
        JiraFieldMapping mapping = JiraFieldMapping.of(Map.of("impact-start", "customfield_10060", "service", List.of("labels")));
        assertThat(mapping.impactStart()).isEqualTo("customfield_10060");
        assertThat(mapping.detected()).isEqualTo("created");
        assertThat(mapping.service()).containsExactly("labels");
        assertThat(JiraFieldMapping.of(null)).isEqualTo(JiraFieldMapping.DEFAULT);
        assertThatThrownBy(() -> JiraFieldMapping.of(Map.of("started", "x"))).hasMessageStartingWith(
                "'fields' has an unknown key 'started'");
        assertThatThrownBy(() -> JiraFieldMapping.of(Map.of("severity", "customfield 1; drop"))).hasMessage(
                "'fields.severity' = 'customfield 1; drop' is not a Jira field id");
        assertThatThrownBy(() -> JiraFieldMapping.of("created")).hasMessageStartingWith("'fields' must be a mapping");
    }

    @Test
    void aJiraDateWithoutATimeIsRefusedNotGuessed() {
        var issue = json.readTree("{\"key\": \"OPS-1\", \"fields\": {\"summary\": \"s\", \"created\": \"2024-05-01T10:00:00.000+0000\","
                + " \"customfield_1\": \"2024-05-01\"}}");
        JiraFieldMapping mapping = JiraFieldMapping.of(Map.of("impact-start", "customfield_1"));
        assertThatThrownBy(() -> JiraMapper.map(issue, mapping, MapperOptions.forPush("t", null)))
                .hasMessage("field customfield_1 (impact-start) holds the date 2024-05-01 without a time; map a date-time field");
    }

    @Test
    void drillsAreRecognisedByLabelOrTitle() throws Exception {
        var labelled = json.readTree("{\"key\": \"OPS-2\", \"fields\": {\"summary\": \"Failover\", \"labels\": [\"Game-Day\"],"
                + " \"created\": \"2024-05-01T10:00:00.000+0000\"}}");
        assertThat(JiraMapper.map(labelled, JiraFieldMapping.DEFAULT, MapperOptions.forPush("t", null)).drill()).isTrue();
        var titled = json.readTree("{\"id\": \"Q1\", \"incident_number\": 5, \"title\": \"[Drill] DB failover\","
                + " \"created_at\": \"2024-05-01T10:00:00Z\", \"status\": \"triggered\"}");
        assertThat(PagerDutyMapper.map(titled, null, MapperOptions.forPush("t", null)).drill()).isTrue();
    }

    @Test
    void theIncrementalStartIsTheWatermarkPulledBackToTheOldestOpenIncidentWithinTheLookback() {
        Instant now = Instant.parse("2024-06-01T00:00:00Z");
        java.time.Duration lookback = java.time.Duration.ofDays(30);
        Instant watermark = Instant.parse("2024-05-30T00:00:00Z");
        assertThat(Windows.since(null, null, now, lookback)).isEqualTo(Instant.parse("2024-05-02T00:00:00Z"));
        assertThat(Windows.since(watermark, null, now, lookback)).isEqualTo(watermark);
        assertThat(Windows.since(watermark, Instant.parse("2024-05-20T00:00:00Z"), now, lookback))
                .isEqualTo(Instant.parse("2024-05-20T00:00:00Z"));
        // an incident left open for a year does not drag every run back a year
        assertThat(Windows.since(watermark, Instant.parse("2023-05-20T00:00:00Z"), now, lookback))
                .isEqualTo(Instant.parse("2024-05-02T00:00:00Z"));
        // an open incident newer than the watermark changes nothing
        assertThat(Windows.since(watermark, Instant.parse("2024-05-31T00:00:00Z"), now, lookback)).isEqualTo(watermark);
    }

    @Test
    void theJiraQueryIsIncrementalAndOrdered() {
        Instant since = Instant.parse("2024-03-31T00:30:00Z");
        assertThat(dev.assay.incidents.internal.jira.JiraQueries.incrementalJql("project = OPS", since, ZoneOffset.UTC))
                .isEqualTo("(project = OPS) AND updated >= \"2024/03/31 00:30\" ORDER BY updated ASC, key ASC");
        assertThat(dev.assay.incidents.internal.jira.JiraQueries.incrementalJql("", since, ZoneId.of("Europe/Paris")))
                .isEqualTo("updated >= \"2024/03/31 01:30\" ORDER BY updated ASC, key ASC");
        assertThatThrownBy(() -> dev.assay.incidents.internal.jira.JiraQueries.incrementalJql("project = OPS ORDER BY created",
                since, ZoneOffset.UTC)).hasMessage("the 'jql' option must not contain ORDER BY: Assay orders by updated");
    }
}

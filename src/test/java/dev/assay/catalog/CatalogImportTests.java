package dev.assay.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.assay.AssayIntegrationTest;
import dev.assay.DatabaseCleaner;
import dev.assay.collect.CollectionLauncher;
import dev.assay.collect.CollectionRuns;
import dev.assay.collect.JobExecutions;
import dev.assay.collect.JobStatus;
import dev.assay.collect.Quarantine;
import dev.assay.collect.QuarantinedRecord;
import dev.assay.common.PageRequest;

/**
 * The catalog import job against the published Backstage and CODEOWNERS samples (copied into
 * src/test/resources/sources, see FIXTURES.md) plus a file with three broken documents.
 */
@AssayIntegrationTest
class CatalogImportTests {

    @Autowired CollectionLauncher launcher;
    @Autowired JobExecutions executions;
    @Autowired Catalog catalog;
    @Autowired Quarantine quarantine;
    @Autowired DataSource dataSource;

    JdbcTemplate jdbc;

    @BeforeEach
    void cleanDatabase() {
        new DatabaseCleaner(dataSource).cleanAll();
        jdbc = new JdbcTemplate(dataSource);
    }

    @Test
    void importsEveryGoodDocumentAndQuarantinesEachBadOneWithItsReason() {
        JobStatus run = CollectionRuns.collectAndWait(launcher, executions, "test-catalog");

        assertThat(run.status()).isEqualTo("COMPLETED");
        // 2 sample components + 4 org.yaml documents + 4 broken.yaml documents + 2 CODEOWNERS files
        assertThat(run.read()).isEqualTo(12);
        assertThat(run.written()).isEqualTo(9);
        assertThat(run.quarantined()).isEqualTo(3);

        assertThat(catalog.teams()).extracting(TeamSummary::name)
                .containsExactly("scorecard-maintainers", "team-a", "team-b");
        assertThat(catalog.services()).extracting(ServiceSummary::name)
                .containsExactly("artist-lookup", "backstage-existing", "scorecard");

        List<QuarantinedRecord> rejected = quarantine.list("test-catalog", Quarantine.OPEN, PageRequest.of(0, 50)).items();
        assertThat(rejected).extracting(QuarantinedRecord::location, QuarantinedRecord::reason)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("catalog/broken.yaml#2", "Component has no metadata.name"),
                        org.assertj.core.groups.Tuple.tuple("catalog/broken.yaml#3", "tier 'gold' must be 1, 2 or 3 (assay.dev/tier)"),
                        org.assertj.core.groups.Tuple.tuple("catalog/broken.yaml#4", rejected.stream()
                                .filter(r -> r.location().endsWith("#4")).findFirst().orElseThrow().reason()));
        assertThat(rejected.stream().filter(r -> r.location().endsWith("#4")).findFirst().orElseThrow().reason())
                .startsWith("not valid YAML: ");
        assertThat(rejected).allSatisfy(r -> {
            assertThat(r.kind()).isEqualTo("backstage");
            assertThat(r.payload()).contains("apiVersion: backstage.io/v1alpha1");
            assertThat(r.timesSeen()).isEqualTo(1);
        });
    }

    @Test
    void mapsTheSampleFieldsAndLinkingAnnotations() {
        CollectionRuns.collectAndWait(launcher, executions, "test-catalog");

        ServiceSummary backstage = catalog.service("backstage-existing").orElseThrow().service();
        assertThat(backstage.componentType()).isEqualTo("library");
        assertThat(backstage.lifecycle()).isEqualTo("production");
        assertThat(backstage.declaredOwner()).isEqualTo("cncf");
        assertThat(backstage.owningTeam()).isNull();
        assertThat(backstage.sourceRepositories()).containsExactly("github:backstage/backstage");
        assertThat(backstage.description()).isEqualTo(
                "Backstage is an open-source developer portal that puts the developer experience first.");

        ServiceSummary artist = catalog.service("artist-lookup").orElseThrow().service();
        assertThat(artist.owningTeam()).isEqualTo("team-a");
        assertThat(artist.ownerEvidence()).isEqualTo("catalog");
        assertThat(artist.system()).isEqualTo("artist-engagement-portal");
        assertThat(artist.lifecycle()).isEqualTo("experimental");
        assertThat(artist.escalationContact()).isNull();
        assertThat(artist.owned()).isFalse();

        ServiceDetail scorecard = catalog.service("scorecard").orElseThrow();
        assertThat(scorecard.service().declaredOwner()).isEqualTo("unknown-team");
        assertThat(scorecard.service().owningTeam()).isEqualTo("scorecard-maintainers");
        assertThat(scorecard.service().ownerEvidence()).isEqualTo("codeowners");
        assertThat(scorecard.service().tier()).isEqualTo(1);
        assertThat(scorecard.service().escalationContact()).isEqualTo("PagerDuty service PSCORE1");
        assertThat(scorecard.service().artifactRepositories()).containsExactly("gcr.io/openssf/scorecard");
        assertThat(scorecard.codeowners()).containsExactly(new ServiceDetail.CodeownersOwner("ossf/scorecard",
                "@ossf/scorecard-maintainers", "scorecard-maintainers"));

        assertThat(jdbc.queryForObject("select count(*) from codeowners_rule where repository = 'aquasecurity/trivy'",
                Integer.class)).isEqualTo(14);
        assertThat(jdbc.queryForObject("select count(*) from codeowners_rule where repository = 'ossf/scorecard'",
                Integer.class)).isEqualTo(4);
        assertThat(jdbc.queryForObject("select owners from repository_default_owner where repository = 'aquasecurity/trivy'",
                String.class)).isEqualTo("@knqyf263 @DmitriyLewen");

        // Operated services: artist-lookup (no escalation) and scorecard (owned through CODEOWNERS).
        assertThat(catalog.ownershipCoverage(null, null)).isEqualTo(new Ratio(1, 2));
        assertThat(catalog.ownershipCoverage("team-a", null)).isEqualTo(new Ratio(0, 1));
        assertThat(catalog.serviceNamesByLink("github", "ossf/scorecard")).containsExactly("scorecard");

        // The per-request lookups resolve ownership exactly as the whole catalog does: by the catalog's
        // owner (artist-lookup) and through CODEOWNERS (scorecard), and nothing for an unknown owner.
        assertThat(catalog.serviceNamesOwnedBy(List.of("team-a"))).containsExactly("artist-lookup");
        assertThat(catalog.serviceNamesOwnedBy(List.of("scorecard-maintainers"))).containsExactly("scorecard");
        assertThat(catalog.serviceNamesOwnedBy(List.of("team-a", "scorecard-maintainers")))
                .containsExactly("artist-lookup", "scorecard");
        assertThat(catalog.serviceNamesOwnedBy(List.of("unknown-team", "cncf"))).isEmpty();
        assertThat(catalog.serviceNamesOwnedBy(List.of())).isEmpty();
        List<String> every = catalog.services().stream().map(ServiceSummary::name).toList();
        assertThat(catalog.servicesNamed(every)).isEqualTo(catalog.services());
        assertThat(catalog.servicesNamed(List.of("scorecard", "no-such-service")))
                .containsExactly(scorecard.service());
        for (String team : catalog.teamNames().stream().map(TeamName::name).toList()) {
            assertThat(catalog.serviceNamesOwnedBy(List.of(team))).as(team).containsExactlyInAnyOrderElementsOf(
                    catalog.services().stream().filter(svc -> team.equals(svc.owningTeam())).map(ServiceSummary::name).toList());
        }
    }

    @Test
    void reimportChangesNothing() {
        CollectionRuns.collectAndWait(launcher, executions, "test-catalog");
        String before = snapshot();
        int auditRows = count("audit_log");

        JobStatus second = CollectionRuns.collectAndWait(launcher, executions, "test-catalog");

        assertThat(second.status()).isEqualTo("COMPLETED");
        assertThat(second.read()).isZero();
        assertThat(second.written()).isZero();
        assertThat(snapshot()).isEqualTo(before);
        assertThat(count("audit_log")).isEqualTo(auditRows);
    }

    @Test
    void reimportAfterForgettingCursorsStillChangesNothing() {
        CollectionRuns.collectAndWait(launcher, executions, "test-catalog");
        String before = snapshot();
        int auditRows = count("audit_log");
        jdbc.update("delete from collect_cursor");

        JobStatus second = CollectionRuns.collectAndWait(launcher, executions, "test-catalog");

        assertThat(second.read()).isEqualTo(12);
        assertThat(snapshot()).isEqualTo(before.replaceAll("times_seen=1", "times_seen=1"));
        assertThat(count("audit_log")).isEqualTo(auditRows);
        assertThat(jdbc.queryForList("select times_seen from quarantine", Integer.class)).containsOnly(2);
    }

    private int count(String table) {
        return jdbc.queryForObject("select count(*) from " + table, Integer.class);
    }

    /** Every catalog row with its timestamps: any update, even to the same values, would show. */
    private String snapshot() {
        return String.join("\n",
                jdbc.queryForList("select name, title, description, component_type, tier, lifecycle, owner_name, system_name, "
                        + "escalation_contact, created_at, updated_at from service order by name").toString(),
                jdbc.queryForList("select name, title, email, created_at, updated_at from team order by name").toString(),
                jdbc.queryForList("select team_name, username, origin from team_member order by team_name, username").toString(),
                jdbc.queryForList("select service_id, kind, link_value from service_link order by service_id, kind, link_value").toString(),
                jdbc.queryForList("select id, repository, position, pattern, owners from codeowners_rule order by id").toString(),
                jdbc.queryForList("select name, updated_at from catalog_person order by name").toString());
    }
}

package dev.assay.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.MockMvcPrint;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.RequestBuilder;

import dev.assay.AssayIntegrationTest;
import dev.assay.DatabaseCleaner;
import dev.assay.collect.CollectionLauncher;
import dev.assay.collect.JobExecutions;
import dev.assay.collect.JobStatus;
import dev.assay.metrics.MetricsRollupRunner;
import dev.assay.playbooks.MutableClock;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The benchmark (issue 9, DESIGN §8; docs/performance.md): {@code mvn -Pbench verify
 * -Dbench.size=S|M|L [-Dbench.db=postgres]}. In one run on one database it generates an
 * organisation from a seed, ingests it through the real paths (the catalog files job, the
 * PagerDuty collector against a loopback PagerDuty, Trivy reports through
 * {@code POST /api/v1/ingest/scan}, CycloneDX SBOMs ({@link CycloneDxSboms}) through
 * {@code POST /api/v1/ingest/sbom}, the github-actions collector against a loopback GitHub
 * ({@link CiPipelines}), the gitlab-ci collector against a loopback GitLab ({@link GitLabPipelines}), the
 * oci-registry collector against a loopback OCI registry ({@link OciRegistry})),
 * measures a plain JDBC insert of the same incident rows, an
 * unchanged re-sync, the dashboard and queue render times and the peak heap, and writes
 * {@code target/bench/result.json}. It is tagged {@code bench}: the default build never runs it.
 */
@Tag("bench")
@AssayIntegrationTest
// MockMvc keeps every request's printout to show it if the test fails: 11,000 document pushes at L
// were 200 MB of the 512 MiB heap (a heap dump of the run that ran out of memory showed it).
@AutoConfigureMockMvc(print = MockMvcPrint.NONE)
@Import(MutableClock.Configuration.class)
class BenchmarkTests {

    static final BenchSettings SETTINGS = BenchSettings.fromSystemProperties();
    static final Instant NOW = Instant.parse("2026-01-15T00:00:00Z");
    static final Organisation ORG = Organisation.generate(SETTINGS.size(), SETTINGS.seed(), NOW);
    static final PagerDutyUpstream PAGERDUTY = PagerDutyUpstream.start(ORG.incidents());
    static final CiPipelines GITHUB = CiPipelines.start(ORG, SETTINGS.seed());
    static final GitLabPipelines GITLAB = GitLabPipelines.start(ORG, SETTINGS.seed());
    static final OciRegistry REGISTRY = OciRegistry.start(ORG);
    static final Path OUT = Path.of("target/bench").toAbsolutePath();
    static final int WARM_UP = 50;
    static final int MEASURED = 300;
    static final int MIN_MEASURED = 20;
    static final Duration PAGE_BUDGET = Duration.ofMinutes(2);
    static final Duration JOB_LIMIT = Duration.ofHours(2);

    @Autowired DataSource dataSource;
    @Autowired CollectionLauncher launcher;
    @Autowired JobExecutions executions;
    @Autowired MetricsRollupRunner rollups;
    @Autowired MutableClock clock;
    @Autowired MockMvc mvc;

    @DynamicPropertySource
    static void benchContext(DynamicPropertyRegistry registry) {
        registry.add("assay.sources-file", BenchmarkTests::writeSources);
        registry.add("BENCH_PAGERDUTY_TOKEN", () -> "bench-pagerduty-token");
        registry.add("BENCH_GITHUB_TOKEN", () -> "bench-github-token");
        registry.add("BENCH_GITLAB_TOKEN", () -> "bench-gitlab-token");
        if (SETTINGS.postgres()) {
            registry.add("spring.datasource.url", BenchmarkTests::freshPostgresDatabase);
            registry.add("spring.datasource.username", () -> "postgres");
            registry.add("spring.datasource.password", () -> "");
        } else {
            registry.add("spring.datasource.url", BenchmarkTests::freshH2FileDatabase);
        }
    }

    @AfterAll
    static void stopUpstream() {
        PAGERDUTY.close();
        GITHUB.close();
        GITLAB.close();
        REGISTRY.close();
    }

    @Test
    void benchmark() throws Exception {
        new DatabaseCleaner(dataSource).cleanAll();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        clock.set(NOW);
        ObjectNode perCollector = JsonNodeFactory.instance.objectNode();

        // The catalog first: the incident and scan mappings resolve services against it.
        long catalogStarted = System.nanoTime();
        JobStatus catalog = collect("bench-catalog");
        double catalogSeconds = seconds(catalogStarted);
        assertThat(catalog.status()).as(catalog.exitMessage()).isEqualTo("COMPLETED");
        assertThat(count(jdbc, "select count(*) from service")).isEqualTo(ORG.services().size());
        perCollector.set("catalog", figures(ORG.services().size(), catalogSeconds, "services")
                .put("files", ORG.teams().size()));

        HeapPeak.reset();
        Recording recording = startRecording("assay-bench-ingest");

        long incidentsStarted = System.nanoTime();
        JobStatus pagerduty = collect("bench-pagerduty");
        double incidentSeconds = seconds(incidentsStarted);
        assertThat(pagerduty.status()).as(pagerduty.exitMessage()).isEqualTo("COMPLETED");
        long incidents = count(jdbc, "select count(*) from incident where source_id = 'bench-pagerduty'");
        assertThat(incidents).isEqualTo(ORG.incidents().size());
        assertThat(pagerduty.quarantined()).isZero();
        perCollector.set("pagerduty", figures(incidents, incidentSeconds, "incidents")
                .put("requests", PAGERDUTY.requests()).put("page_requests", PAGERDUTY.pageRequests())
                .put("log_entry_requests", PAGERDUTY.logEntryRequests())
                .put("account_log_requests", PAGERDUTY.accountLogRequests())
                .put("incident_log_requests", PAGERDUTY.incidentLogRequests())
                .put("incident_events", count(jdbc, "select count(*) from incident_event")));

        long scansStarted = System.nanoTime();
        for (Organisation.ScannedArtifact artifact : ORG.artifacts()) {
            int status = mvc.perform(post("/api/v1/ingest/scan").param("artifact", artifact.reference())
                    .with(user("bench-ci").roles("ADMIN")).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                    .content(TrivyReports.report(artifact))).andReturn().getResponse().getStatus();
            assertThat(status).as(artifact.reference()).isEqualTo(202);
        }
        double scanSeconds = seconds(scansStarted);
        long scanReports = count(jdbc, "select count(*) from scan_report");
        assertThat(scanReports).isEqualTo(ORG.artifacts().size());
        perCollector.set("scans", figures(scanReports, scanSeconds, "documents")
                .put("scan_results", count(jdbc, "select count(*) from scan_result"))
                .put("findings", count(jdbc, "select count(*) from finding")));
        // A CycloneDX SBOM (CycloneDxSboms) per scanned artifact through POST /api/v1/ingest/sbom.
        long sbomsStarted = System.nanoTime();
        long expectedViolations = 0;
        List<Organisation.ScannedArtifact> sbomArtifacts = sampled(ORG.artifacts());
        for (Organisation.ScannedArtifact artifact : sbomArtifacts) {
            int status = mvc.perform(post("/api/v1/ingest/sbom").param("artifact", artifact.reference())
                    .with(user("bench-ci").roles("ADMIN")).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                    .content(CycloneDxSboms.sbom(artifact))).andReturn().getResponse().getStatus();
            assertThat(status).as(artifact.reference()).isEqualTo(202);
            expectedViolations += CycloneDxSboms.licenseViolations(artifact);
        }
        double sbomSeconds = seconds(sbomsStarted);
        long sboms = count(jdbc, "select count(*) from sbom where format = 'cyclonedx-json' and spec_version = '1.6'");
        assertThat(sboms).isEqualTo(sbomArtifacts.size());
        long components = count(jdbc, "select count(*) from sbom_component");
        assertThat(components).isEqualTo((long) sbomArtifacts.size() * CycloneDxSboms.COMPONENTS);
        assertThat(count(jdbc, "select sum(component_count) from sbom")).isEqualTo(components);
        long edges = count(jdbc, "select sum(dependency_count) from sbom");
        assertThat(edges).isEqualTo((long) sbomArtifacts.size() * CycloneDxSboms.DEPENDENCY_EDGES);
        long violations = count(jdbc, "select count(*) from sbom_license_violation");
        assertThat(violations).isEqualTo(expectedViolations);
        assertThat(count(jdbc, "select sum(license_violation_count) from sbom")).isEqualTo(expectedViolations);
        perCollector.set("sbom", figures(sboms, sbomSeconds, "documents").put("format", "cyclonedx-json 1.6")
                .put("components", components).put("dependency_edges", edges).put("license_violations", violations));
        // GitHub Actions workflow runs (CiPipelines: 10 per service) through the real github-actions collector.
        long ciStarted = System.nanoTime();
        JobStatus github = collect("bench-github");
        double ciSeconds = seconds(ciStarted);
        assertThat(github.status()).as(github.exitMessage()).isEqualTo("COMPLETED");
        long runs = count(jdbc, "select count(*) from pipeline_run where source_id = 'bench-github'");
        assertThat(runs).isEqualTo(GITHUB.runs());
        assertThat(github.quarantined()).isZero();
        perCollector.set("ci_pipelines", figures(runs, ciSeconds, "runs").put("collector", "github-actions")
                .put("repositories", GITHUB.repositories().size()).put("requests", GITHUB.requests()));
        // GitLab CI pipelines (GitLabPipelines: 10 per service) through the real gitlab-ci collector.
        long gitlabStarted = System.nanoTime();
        JobStatus gitlab = collect("bench-gitlab");
        double gitlabSeconds = seconds(gitlabStarted);
        assertThat(gitlab.status()).as(gitlab.exitMessage()).isEqualTo("COMPLETED");
        long pipelines = count(jdbc, "select count(*) from pipeline_run where source_id = 'bench-gitlab'");
        assertThat(pipelines).isEqualTo(GITLAB.pipelines());
        assertThat(count(jdbc, "select count(*) from pipeline_run_service s join pipeline_run r on r.id = s.run_id"
                + " where r.source_id = 'bench-gitlab'")).isEqualTo(GITLAB.pipelines());
        assertThat(gitlab.quarantined()).isZero();
        perCollector.set("ci_pipelines_gitlab", figures(pipelines, gitlabSeconds, "pipelines").put("collector", "gitlab-ci")
                .put("projects", GITLAB.projects().size()).put("requests", GITLAB.requests())
                .put("list_requests", GITLAB.listRequests()).put("detail_requests", GITLAB.detailRequests()));
        // OCI image manifests (OciRegistry: every 5th service, 3 versions and latest) through the oci-registry collector.
        long registryStarted = System.nanoTime();
        JobStatus registry = collect("bench-registry");
        double registrySeconds = seconds(registryStarted);
        assertThat(registry.status()).as(registry.exitMessage()).isEqualTo("COMPLETED");
        long images = count(jdbc, "select count(*) from artifact where source_id = 'bench-registry' and artifact_kind = 'image'"
                + " and media_type = '" + OciRegistry.MANIFEST + "'");
        assertThat(images).isEqualTo(REGISTRY.images());
        long imageTags = count(jdbc, "select count(*) from artifact_tag where repository like '" + REGISTRY.host() + "/%'");
        assertThat(imageTags).isEqualTo(REGISTRY.tags());
        assertThat(count(jdbc, "select count(*) from quarantine where source_id = 'bench-registry'")).isZero();
        perCollector.set("oci_registry", figures(images, registrySeconds, "manifests").put("collector", "oci-registry")
                .put("repositories", REGISTRY.repositories().size()).put("tags", imageTags)
                .put("requests", REGISTRY.requests()).put("manifest_requests", REGISTRY.manifestRequests()));

        recording.stop();
        recording.dump(OUT.resolve("ingest.jfr"));
        recording.close();
        double heapPeak = HeapPeak.peakMb();

        double recordsPerSecond = incidents / incidentSeconds;
        double jdbcPerSecond = JdbcCeiling.measure(dataSource, ORG.incidents());

        // Re-sync with no upstream change.
        PAGERDUTY.resetCounts();
        clock.set(NOW.plus(Duration.ofHours(1)));
        Resync pagerdutyResync = resync(jdbc, "bench-pagerduty", "select id, updated_at from incident");
        JobStatus resync = pagerdutyResync.status();
        long rowsChanged = pagerdutyResync.rowsChanged();
        // The GitHub source again, upstream unchanged: one request per repository, nothing written.
        GITHUB.resetCounts();
        Resync github2 = resync(jdbc, "bench-github", "select id, updated_at from pipeline_run");
        JobStatus githubResync = github2.status();
        long runsChanged = github2.rowsChanged();
        // The GitLab source again, upstream unchanged: one list request per project (the last pipeline again), no detail.
        GITLAB.resetCounts();
        Resync gitlab2 = resync(jdbc, "bench-gitlab", "select id, updated_at from pipeline_run");
        JobStatus gitlabResync = gitlab2.status();
        long pipelinesChanged = gitlab2.rowsChanged();
        // The registry source again, nothing pushed: a HEAD and a referrers request per tag, nothing written.
        REGISTRY.resetCounts();
        Resync registry2 = resync(jdbc, "bench-registry", "select id, last_seen_at from artifact");
        JobStatus registryResync = registry2.status();
        long artifactsChanged = registry2.rowsChanged();

        // The dashboard reads the rollups.
        clock.set(NOW.plus(Duration.ofHours(2)));
        long rollupStarted = System.nanoTime();
        JobStatus rollup = waitFor(rollups.launch("bench"));
        double rollupSeconds = seconds(rollupStarted);
        assertThat(rollup.status()).as(rollup.exitMessage()).isEqualTo("COMPLETED");

        String queueOwner = ORG.teams().get(0).owner();
        RequestBuilder dashboardPage = get("/").with(user("bench-exec").roles("EXECUTIVE"));
        RequestBuilder queuePage = get("/my-services/queue").with(user(queueOwner).roles("SERVICE_OWNER"));
        PageTiming dashboard = render(dashboardPage);
        PageTiming queue = render(queuePage);
        // The profile of the pages is a pass of its own after the measured one, so that no figure is
        // taken with the recorder running.
        Recording pageRecording = startRecording("assay-bench-pages");
        render(dashboardPage);
        render(queuePage);
        pageRecording.stop();
        pageRecording.dump(OUT.resolve("pages.jfr"));
        pageRecording.close();

        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("size", SETTINGS.size().name());
        result.put("db", SETTINGS.db());
        result.put("date", LocalDate.now(ZoneOffset.UTC).toString());
        result.put("commit", gitCommit());
        result.put("seed", SETTINGS.seed());
        ObjectNode organisation = result.putObject("organisation");
        organisation.put("teams", ORG.teams().size()).put("services", ORG.services().size())
                .put("incidents", ORG.incidents().size()).put("scanned_artifacts", ORG.artifacts().size())
                .put("vulnerabilities_per_scan", SETTINGS.size().vulnerabilitiesPerScan()).put("pipeline_runs", GITHUB.runs())
                .put("gitlab_pipelines", GITLAB.pipelines())
                .put("sample_every", SETTINGS.size().sampleEvery())
                .put("registry_images", REGISTRY.images());
        ObjectNode ingest = result.putObject("ingest");
        ingest.put("records_per_s", round(recordsPerSecond));
        ingest.put("jdbc_records_per_s", round(jdbcPerSecond));
        ingest.put("ratio", Math.round(recordsPerSecond / jdbcPerSecond * 1000) / 1000.0);
        ingest.put("records", incidents);
        ingest.put("seconds", round(incidentSeconds));
        ingest.set("per_collector", perCollector);
        ObjectNode resyncNode = result.putObject("resync");
        resyncNode.put("requests", PAGERDUTY.requests());
        resyncNode.put("rows_written", rowsChanged);
        resyncNode.put("page_requests", PAGERDUTY.pageRequests());
        resyncNode.put("log_entry_requests", PAGERDUTY.logEntryRequests());
        resyncNode.put("step_read", resync.read());
        resyncNode.put("step_write_count", resync.written());
        resyncNode.put("account_log_requests", PAGERDUTY.accountLogRequests());
        resyncNode.put("incident_log_requests", PAGERDUTY.incidentLogRequests());
        resyncNode.putObject("github_actions").put("requests", GITHUB.requests())
                .put("not_modified", GITHUB.notModified()).put("repositories", GITHUB.repositories().size())
                .put("rows_written", runsChanged).put("step_read", githubResync.read());
        resyncNode.putObject("gitlab_ci").put("requests", GITLAB.requests()).put("list_requests", GITLAB.listRequests())
                .put("detail_requests", GITLAB.detailRequests()).put("not_modified", GITLAB.notModified())
                .put("projects", GITLAB.projects().size()).put("rows_written", pipelinesChanged)
                .put("step_read", gitlabResync.read()).put("step_write_count", gitlabResync.written());
        resyncNode.putObject("oci_registry").put("requests", REGISTRY.requests())
                .put("manifest_requests", REGISTRY.manifestRequests()).put("rows_written", artifactsChanged)
                .put("step_read", registryResync.read()).put("step_write_count", registryResync.written());
        result.putObject("rollup").put("seconds", round(rollupSeconds));
        ObjectNode pages = result.putObject("pages");
        pages.set("dashboard", percentiles(dashboard).put("path", "/ as an executive (P30D, all teams)"));
        pages.set("queue", percentiles(queue).put("path", "/my-services/queue as " + queueOwner + " (SERVICE_OWNER)"));
        result.put("heap_peak_mb", round(heapPeak));
        result.set("machine", MachineFacts.of(dataSource));

        String text = JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(result);
        Files.createDirectories(OUT);
        Files.writeString(OUT.resolve("result.json"), text + "\n", StandardCharsets.UTF_8);
        System.out.println("Benchmark result (" + OUT.resolve("result.json") + "):\n" + text);
    }

    /**
     * Warm-up then measured requests: {@link #WARM_UP} and {@link #MEASURED}, each cut short by
     * {@link #PAGE_BUDGET} (a page that takes seconds at M or L would otherwise hold the run for
     * an hour); the result says how many were measured.
     */
    private PageTiming render(RequestBuilder request) throws Exception {
        long warmUpEnd = System.nanoTime() + PAGE_BUDGET.toNanos();
        int warmUps = 0;
        while (warmUps < WARM_UP && System.nanoTime() < warmUpEnd) {
            assertThat(mvc.perform(request).andReturn().getResponse().getStatus()).isEqualTo(200);
            warmUps++;
        }
        long[] nanos = new long[MEASURED];
        int measured = 0;
        long measureEnd = System.nanoTime() + PAGE_BUDGET.toNanos();
        while (measured < MEASURED && (measured < MIN_MEASURED || System.nanoTime() < measureEnd)) {
            long started = System.nanoTime();
            int status = mvc.perform(request).andReturn().getResponse().getStatus();
            nanos[measured++] = System.nanoTime() - started;
            assertThat(status).isEqualTo(200);
        }
        return new PageTiming(warmUps, Percentiles.ofNanos(Arrays.copyOf(nanos, measured)));
    }

    private JobStatus collect(String sourceId) {
        JobStatus status = waitFor(launcher.launch(sourceId, "bench"));
        // A job instance is keyed by its launch time (the clock's milliseconds).
        clock.set(clock.instant().plusMillis(1));
        return status;
    }

    private JobStatus waitFor(long executionId) {
        Instant deadline = Instant.now().plus(JOB_LIMIT);
        while (Instant.now().isBefore(deadline)) {
            JobStatus status = executions.find(executionId).orElseThrow();
            if (status.endedAt() != null && !status.status().equals("STARTED") && !status.status().equals("STARTING")) {
                return status;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("job execution " + executionId + " did not finish within " + JOB_LIMIT);
    }

    private static Recording startRecording(String name) throws IOException, java.text.ParseException {
        Recording recording = new Recording(Configuration.getConfiguration("profile"));
        recording.setName(name);
        recording.start();
        return recording;
    }

    /** A collection of a source whose upstream did not change, and how many rows it changed. */
    record Resync(JobStatus status, long rowsChanged) {
    }

    /**
     * Collects the source and counts the rows whose value of {@code idAndTime}'s second column (an
     * update time) changed. The before and after values live only in here: at L they are 100,000s of
     * rows, which the test must not hold on to while it measures the pages.
     */
    private Resync resync(JdbcTemplate jdbc, String sourceId, String idAndTime) {
        Map<Long, Object> before = values(jdbc, idAndTime);
        JobStatus status = collect(sourceId);
        assertThat(status.status()).as(status.exitMessage()).isEqualTo("COMPLETED");
        Map<Long, Object> after = values(jdbc, idAndTime);
        return new Resync(status, after.entrySet().stream().filter(e -> !e.getValue().equals(before.get(e.getKey()))).count());
    }

    private static Map<Long, Object> values(JdbcTemplate jdbc, String idAndValue) {
        Map<Long, Object> values = new HashMap<>();
        jdbc.query(idAndValue, rs -> {
            values.put(rs.getLong(1), rs.getObject(2));
        });
        return values;
    }

    /** Every {@link BenchSize#sampleEvery()}th item. */
    private static <T> List<T> sampled(List<T> all) {
        return java.util.stream.IntStream.range(0, all.size()).filter(i -> i % SETTINGS.size().sampleEvery() == 0)
                .mapToObj(all::get).toList();
    }

    private static ObjectNode figures(long records, double seconds, String unit) {
        return JsonNodeFactory.instance.objectNode().put("records", records).put("unit", unit)
                .put("seconds", round(seconds)).put("records_per_s", round(records / seconds));
    }

    private static ObjectNode percentiles(PageTiming timing) {
        Percentiles p = timing.percentiles();
        return JsonNodeFactory.instance.objectNode().put("p50_ms", round(p.p50Ms())).put("p95_ms", round(p.p95Ms()))
                .put("p99_ms", round(p.p99Ms())).put("warm_up", timing.warmUps()).put("samples", p.samples());
    }

    /** A page's render times and how many warm-up requests preceded them. */
    record PageTiming(int warmUps, Percentiles percentiles) {
    }

    private static long count(JdbcTemplate jdbc, String sql) {
        return jdbc.queryForObject(sql, Long.class);
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static String writeSources() {
        try {
            Path catalog = OUT.resolve("org/catalog");
            BackstageCatalog.write(ORG, catalog);
            String sources = """
                    # Written by the benchmark (dev.assay.bench.BenchmarkTests).
                    sources:
                      - id: bench-catalog
                        type: files
                        paths:
                          - "%s/*.yaml"
                      - id: bench-pagerduty
                        type: pagerduty
                        base-url: http://127.0.0.1:%d%s
                        token-env: BENCH_PAGERDUTY_TOKEN
                        lookback: P180D
                        window: P7D
                      - id: bench-github
                        type: github-actions
                        base-url: http://127.0.0.1:%d%s
                        token-env: BENCH_GITHUB_TOKEN
                        lookback: P30D
                        repositories:
                    %s""".formatted(catalog, PAGERDUTY.port(), PagerDutyUpstream.PATH, GITHUB.port(), CiPipelines.PATH,
                    GITHUB.repositories().stream().map(r -> "      - " + r + "\n").collect(java.util.stream.Collectors.joining()))
                    + """
                      - id: bench-gitlab
                        type: gitlab-ci
                        base-url: http://127.0.0.1:%d%s
                        token-env: BENCH_GITLAB_TOKEN
                        lookback: P30D
                        projects:
                    %s""".formatted(GITLAB.port(), GitLabPipelines.PATH,
                    GITLAB.projects().stream().map(p -> "      - " + p + "\n").collect(java.util.stream.Collectors.joining()))
                    + """
                      - id: bench-registry
                        type: oci-registry
                        base-url: http://%s
                        repositories:
                    %s""".formatted(REGISTRY.host(),
                    REGISTRY.repositories().stream().map(r -> "      - " + r + "\n").collect(java.util.stream.Collectors.joining()));
            Files.createDirectories(OUT);
            Path file = OUT.resolve("sources.yml");
            Files.writeString(file, sources, StandardCharsets.UTF_8);
            return file.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The commit the benchmark ran on ({@code git rev-parse --short HEAD}), or "unknown" outside a clone. */
    private static String gitCommit() {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return git.waitFor() == 0 ? out : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** A new, empty database on the PostgreSQL server for this run. */
    /**
     * A new H2 file database under target/bench/h2, as the product runs H2 (a file, not memory): an
     * in-memory database would sit in the 512 MiB test heap beside the generator's data, and at L it
     * did not fit.
     */
    private static String freshH2FileDatabase() {
        Path folder = OUT.resolve("h2");
        try {
            if (Files.exists(folder)) {
                try (var files = Files.walk(folder)) {
                    for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(file);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not remove the last run's H2 database under " + folder, e);
        }
        return "jdbc:h2:file:" + folder.resolve("assay") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    }

    private static String freshPostgresDatabase() {
        String server = SETTINGS.postgresServerUrl().endsWith("/") ? SETTINGS.postgresServerUrl()
                : SETTINGS.postgresServerUrl() + "/";
        try (Connection connection = DriverManager.getConnection(server + "postgres", "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + BenchSettings.POSTGRES_DATABASE + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + BenchSettings.POSTGRES_DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException("The benchmark needs PostgreSQL at " + server + " (user postgres): "
                    + e.getMessage(), e);
        }
        return server + BenchSettings.POSTGRES_DATABASE;
    }
}

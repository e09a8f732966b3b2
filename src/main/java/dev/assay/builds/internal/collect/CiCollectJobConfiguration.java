package dev.assay.builds.internal.collect;

import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

import dev.assay.builds.internal.BuildAnomalies;
import dev.assay.builds.internal.GitHubRunMapper;
import dev.assay.builds.internal.GitLabPipelineMapper;
import dev.assay.builds.internal.JenkinsBuildMapper;
import dev.assay.builds.internal.RunRecorder;
import dev.assay.builds.internal.RunStore;
import dev.assay.collect.CatalogWaitTasklet;
import dev.assay.collect.CollectionLauncher;
import dev.assay.collect.Cursors;
import dev.assay.collect.JobExecutions;
import dev.assay.collect.Quarantine;
import dev.assay.collect.SourceDefinition;
import dev.assay.collect.SourceType;
import dev.assay.collect.Sources;
import dev.assay.collect.UnknownSourceException;
import dev.assay.collect.http.PageFetcher;
import dev.assay.collect.http.Sleeper;
import dev.assay.collect.http.UpstreamAuth;
import dev.assay.collect.http.UpstreamClients;
import dev.assay.common.UntrustedJson;

/**
 * The source types {@code github-actions}, {@code gitlab-ci} and {@code jenkins}: one job each, with
 * a wait for a running catalog import, a chunk step (reader → mapping, bad runs to quarantine → store, cursors in the chunk's
 * transaction) and a step that maps unmapped runs again against the current catalog.
 */
@Configuration(proxyBeanMethods = false)
class CiCollectJobConfiguration {

    private static final int CHUNK = 25;
    private static final Duration DEFAULT_LOOKBACK = Duration.ofDays(30);
    private static final Duration CATALOG_WAIT = Duration.ofMinutes(2);
    private static final String SOURCE = "#{jobParameters['" + CollectionLauncher.SOURCE_ID + "']}";
    private static final String EXECUTION = "#{stepExecution.jobExecutionId}";

    // ---- github-actions

    @Bean
    Job githubActionsCollectJob(JobRepository jobs, PlatformTransactionManager tx, GitHubRunReader githubRunReader,
            RunItemProcessor ciRunProcessor, RunRecorder recorder, Cursors cursors, RemapRunsTasklet ciRemapTasklet,
            CatalogWaitTasklet ciCatalogWait) {
        return job("githubActionsCollectJob", jobs, tx, ciCatalogWait, githubRunReader, ciRunProcessor, recorder, cursors,
                ciRemapTasklet);
    }

    @Bean
    @StepScope
    GitHubRunReader githubRunReader(@Value(SOURCE) String sourceId, @Value(EXECUTION) Long executionId, Sources sources,
            UpstreamClients clients, UntrustedJson json, Quarantine quarantine, PlatformTransactionManager tx,
            Cursors cursors, RunStore store, Clock clock, CiReplay replay) {
        SourceDefinition source = replay.effective(source(sources, sourceId));
        PageFetcher pages = new PageFetcher(clients.forSource(withDefaultBase(source, "https://api.github.com"),
                UpstreamAuth.BEARER), json, quarantine, tx, sourceId, executionId);
        return new GitHubRunReader(sourceId, pages, required(source, "repositories"), cursors, store, clock.instant(),
                lookback(source));
    }

    @Bean
    SourceType githubActionsSourceType(Job githubActionsCollectJob) {
        return sourceType(GitHubRunMapper.SYSTEM, githubActionsCollectJob);
    }

    // ---- gitlab-ci

    @Bean
    Job gitlabCiCollectJob(JobRepository jobs, PlatformTransactionManager tx, GitLabPipelineReader gitlabPipelineReader,
            RunItemProcessor ciRunProcessor, RunRecorder recorder, Cursors cursors, RemapRunsTasklet ciRemapTasklet,
            CatalogWaitTasklet ciCatalogWait) {
        return job("gitlabCiCollectJob", jobs, tx, ciCatalogWait, gitlabPipelineReader, ciRunProcessor, recorder, cursors,
                ciRemapTasklet);
    }

    @Bean
    @StepScope
    GitLabPipelineReader gitlabPipelineReader(@Value(SOURCE) String sourceId, @Value(EXECUTION) Long executionId,
            Sources sources, UpstreamClients clients, UntrustedJson json, Quarantine quarantine,
            PlatformTransactionManager tx, Cursors cursors, RunStore store, Clock clock, CiReplay replay) {
        SourceDefinition source = replay.effective(source(sources, sourceId));
        PageFetcher pages = new PageFetcher(clients.forSource(withDefaultBase(source, "https://gitlab.com"),
                UpstreamAuth.GITLAB_PRIVATE_TOKEN), json, quarantine, tx, sourceId, executionId);
        return new GitLabPipelineReader(sourceId, pages, required(source, "projects"), cursors, store, clock.instant(),
                lookback(source));
    }

    @Bean
    SourceType gitlabCiSourceType(Job gitlabCiCollectJob) {
        return sourceType(GitLabPipelineMapper.SYSTEM, gitlabCiCollectJob);
    }

    // ---- jenkins

    @Bean
    Job jenkinsCollectJob(JobRepository jobs, PlatformTransactionManager tx, JenkinsBuildReader jenkinsBuildReader,
            RunItemProcessor ciRunProcessor, RunRecorder recorder, Cursors cursors, RemapRunsTasklet ciRemapTasklet,
            CatalogWaitTasklet ciCatalogWait) {
        return job("jenkinsCollectJob", jobs, tx, ciCatalogWait, jenkinsBuildReader, ciRunProcessor, recorder, cursors,
                ciRemapTasklet);
    }

    @Bean
    @StepScope
    JenkinsBuildReader jenkinsBuildReader(@Value(SOURCE) String sourceId, @Value(EXECUTION) Long executionId,
            Sources sources, UpstreamClients clients, UntrustedJson json, Quarantine quarantine,
            PlatformTransactionManager tx, Cursors cursors, CiReplay replay) {
        SourceDefinition source = replay.effective(source(sources, sourceId));
        PageFetcher pages = new PageFetcher(clients.forSource(source, UpstreamAuth.BASIC), json, quarantine, tx, sourceId,
                executionId);
        Object max = source.options().getOrDefault("max-builds", 100);
        int maxBuilds;
        try {
            maxBuilds = Integer.parseInt(String.valueOf(max));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Source '" + sourceId + "': 'max-builds' = '" + max + "' is not a number");
        }
        if (maxBuilds < 1 || maxBuilds > 10_000) {
            throw new IllegalArgumentException("Source '" + sourceId + "': 'max-builds' must be between 1 and 10000");
        }
        return new JenkinsBuildReader(sourceId, pages, required(source, "jobs"), cursors, maxBuilds);
    }

    @Bean
    SourceType jenkinsSourceType(Job jenkinsCollectJob) {
        return sourceType(JenkinsBuildMapper.SYSTEM, jenkinsCollectJob);
    }

    // ---- shared

    @Bean
    @StepScope
    RunItemProcessor ciRunProcessor(@Value(EXECUTION) Long executionId, Quarantine quarantine, Cursors cursors) {
        return new RunItemProcessor(quarantine, cursors, executionId);
    }

    @Bean
    @StepScope
    RemapRunsTasklet ciRemapTasklet(@Value(SOURCE) String sourceId,
            @Value("#{jobParameters['launchedAt']}") Long launchedAt, RunStore store, RunRecorder recorder,
            BuildAnomalies anomalies) {
        return new RemapRunsTasklet(store, recorder, anomalies, sourceId, java.time.Instant.ofEpochMilli(launchedAt));
    }

    /** Waits (at most two minutes) for a running catalog import, so runs map to the imported services. */
    @Bean
    CatalogWaitTasklet ciCatalogWait(Sources sources, JobExecutions executions, ObjectProvider<Sleeper> sleeper) {
        return new CatalogWaitTasklet(sources, executions, sleeper.getIfAvailable(() -> Sleeper.REAL), CATALOG_WAIT);
    }

    private static Job job(String name, JobRepository jobs, PlatformTransactionManager tx, CatalogWaitTasklet wait,
            RunListReader reader, RunItemProcessor processor, RunRecorder recorder, Cursors cursors, RemapRunsTasklet remap) {
        Step waitStep = new StepBuilder(name + "WaitForCatalogStep", jobs).tasklet(wait, tx).build();
        Step runs = new StepBuilder(name + "RunsStep", jobs).<CollectedRun, MappedRun>chunk(CHUNK)
                .transactionManager(tx).reader(reader).processor(processor).writer(new RunItemWriter(recorder, cursors))
                .build();
        Step remapStep = new StepBuilder(name + "RemapStep", jobs).tasklet(remap, tx).build();
        return new JobBuilder(name, jobs).start(waitStep).next(runs).next(remapStep).build();
    }

    private static SourceType sourceType(String type, Job job) {
        return new SourceType() {
            @Override
            public String type() {
                return type;
            }

            @Override
            public Job job() {
                return job;
            }
        };
    }

    private static SourceDefinition source(Sources sources, String sourceId) {
        return sources.find(sourceId).orElseThrow(() -> new UnknownSourceException(sourceId));
    }

    private static SourceDefinition withDefaultBase(SourceDefinition source, String base) {
        if (source.baseUrl() != null && !source.baseUrl().isBlank()) {
            return source;
        }
        return new SourceDefinition(source.id(), source.type(), base, source.tokenEnv(), source.schedule(), source.options(),
                source.baseLocation());
    }

    private static java.util.List<String> required(SourceDefinition source, String option) {
        var values = source.listOption(option);
        if (values.isEmpty()) {
            throw new IllegalArgumentException("Source '" + source.id() + "' (" + source.type() + ") names no '" + option + "'");
        }
        return values;
    }

    private static Duration lookback(SourceDefinition source) {
        Object value = source.options().get("lookback");
        if (value == null) {
            return DEFAULT_LOOKBACK;
        }
        try {
            Duration duration = Duration.parse(String.valueOf(value));
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("Source '" + source.id() + "': 'lookback' must be positive");
            }
            return duration;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Source '" + source.id() + "': 'lookback' = '" + value
                    + "' is not an ISO-8601 duration such as P30D");
        }
    }
}

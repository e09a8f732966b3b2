package dev.assay.incidents.internal.jira;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Set;

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
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.PlatformTransactionManager;

import dev.assay.collect.CollectionLauncher;
import dev.assay.collect.Cursors;
import dev.assay.collect.JobExecutions;
import dev.assay.collect.Quarantine;
import dev.assay.collect.SourceDefinition;
import dev.assay.collect.SourceType;
import dev.assay.collect.Sources;
import dev.assay.collect.UnknownSourceException;
import dev.assay.collect.http.Sleeper;
import dev.assay.collect.http.UpstreamAuth;
import dev.assay.common.UntrustedJson;
import dev.assay.incidents.internal.IncidentStore;
import dev.assay.incidents.internal.JiraFieldMapping;
import dev.assay.incidents.internal.JiraMapper;
import dev.assay.incidents.internal.MappedIncident;
import dev.assay.incidents.internal.MapperOptions;
import dev.assay.incidents.internal.ServiceResolver;
import dev.assay.collect.CatalogWaitTasklet;
import dev.assay.incidents.internal.collect.CollectedItem;
import dev.assay.incidents.internal.collect.CollectorSettings;
import dev.assay.incidents.internal.collect.IncidentItemProcessor;
import dev.assay.incidents.internal.collect.IncidentItemWriter;
import dev.assay.incidents.internal.collect.IncidentUpstreams;
import dev.assay.incidents.internal.collect.IncidentWriteSkipListener;
import dev.assay.collect.http.PageFetcher;
import dev.assay.incidents.internal.collect.RemapServicesTasklet;
import dev.assay.collect.Watermarks;
import dev.assay.incidents.internal.collect.Windows;

/**
 * The {@code jira} source type: issues found by the {@code jql} option, mapped through the
 * {@code fields} option (see {@link JiraFieldMapping}). Options: {@code api} ({@code v3} enhanced
 * search, default, or {@code v2}), {@code auth} ({@code basic}, default: the variable holds
 * {@code email:api-token}; or {@code bearer}: a personal access token), {@code timezone} (the
 * API user's Jira time zone), {@code lookback} (first run, default P180D).
 */
@Configuration(proxyBeanMethods = false)
class JiraCollectJobConfiguration {

    static final String JOB_NAME = "jiraCollectJob";
    private static final Duration DEFAULT_LOOKBACK = Duration.ofDays(180);
    private static final Set<String> APIS = Set.of("v2", "v3");

    @Bean
    Job jiraCollectJob(JobRepository jobRepository, Step jiraWaitForCatalogStep, Step jiraIssuesStep,
            Step jiraServicesRemapStep) {
        return new JobBuilder(JOB_NAME, jobRepository).start(jiraWaitForCatalogStep).next(jiraIssuesStep)
                .next(jiraServicesRemapStep).build();
    }

    @Bean
    Step jiraWaitForCatalogStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            Sources sources, JobExecutions executions, ObjectProvider<Sleeper> sleeper, CollectorSettings settings) {
        return new StepBuilder("jiraWaitForCatalogStep", jobRepository)
                .tasklet(new CatalogWaitTasklet(sources, executions, sleeper.getIfAvailable(() -> Sleeper.REAL),
                        settings.catalogWait()), transactionManager)
                .build();
    }

    @Bean
    Step jiraIssuesStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            JiraIssueReader jiraIssuesReader, IncidentItemProcessor jiraIssuesProcessor, IncidentStore store,
            ServiceResolver resolver, Cursors cursors, IncidentWriteSkipListener jiraSkipListener,
            CollectorSettings settings) {
        return new StepBuilder("jiraIssuesStep", jobRepository)
                .<CollectedItem, MappedIncident>chunk(settings.chunkSize())
                .transactionManager(transactionManager)
                .reader(jiraIssuesReader)
                .processor(jiraIssuesProcessor)
                .writer(new IncidentItemWriter(store, resolver, cursors))
                .faultTolerant()
                .skip(DataIntegrityViolationException.class)
                .skipLimit(1_000)
                .skipListener(jiraSkipListener)
                .build();
    }

    @Bean
    Step jiraServicesRemapStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            RemapServicesTasklet jiraRemapTasklet) {
        return new StepBuilder("jiraServicesRemapStep", jobRepository).tasklet(jiraRemapTasklet, transactionManager)
                .build();
    }

    @Bean
    @StepScope
    RemapServicesTasklet jiraRemapTasklet(@Value("#{jobParameters['" + CollectionLauncher.SOURCE_ID + "']}") String sourceId,
            IncidentStore store, ServiceResolver resolver) {
        return new RemapServicesTasklet(store, resolver, sourceId);
    }

    @Bean
    @StepScope
    JiraIssueReader jiraIssuesReader(@Value("#{jobParameters['" + CollectionLauncher.SOURCE_ID + "']}") String sourceId,
            @Value("#{stepExecution.jobExecutionId}") Long jobExecutionId, Sources sources, IncidentUpstreams upstreams,
            UntrustedJson json, Quarantine quarantine, PlatformTransactionManager transactionManager, Cursors cursors,
            Clock clock) {
        SourceDefinition source = sources.find(sourceId).orElseThrow(() -> new UnknownSourceException(sourceId));
        String api = String.valueOf(source.options().getOrDefault("api", "v3"));
        if (!APIS.contains(api)) {
            throw new IllegalArgumentException("Source '" + sourceId + "': 'api' must be v3 or v2, not " + api);
        }
        String auth = String.valueOf(source.options().getOrDefault("auth", "basic"));
        UpstreamAuth scheme = switch (auth) {
            case "basic" -> UpstreamAuth.BASIC;
            case "bearer" -> UpstreamAuth.BEARER;
            default -> throw new IllegalArgumentException("Source '" + sourceId + "': 'auth' must be basic or bearer");
        };
        Object zoneOption = source.options().get("timezone");
        ZoneId zone;
        try {
            zone = zoneOption == null ? ZoneOffset.UTC : ZoneId.of(String.valueOf(zoneOption));
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("Source '" + sourceId + "': 'timezone' " + zoneOption + " is not a time zone");
        }
        Instant now = clock.instant();
        Instant watermark = Watermarks.get(cursors, sourceId, JiraIssueReader.CURSOR).orElse(null);
        Instant since = watermark == null ? now.minus(Windows.option(source, "lookback", DEFAULT_LOOKBACK))
                : JiraQueries.readFrom(watermark, zoneOption != null);
        JiraFieldMapping mapping = mapping(source);
        String jql;
        try {
            jql = JiraQueries.incrementalJql(source.options().get("jql") == null ? null
                    : String.valueOf(source.options().get("jql")), since, zone);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Source '" + sourceId + "': " + e.getMessage(), e);
        }
        PageFetcher pages = new PageFetcher(upstreams.client(upstreams.effective(source), scheme), json, quarantine,
                transactionManager, sourceId, jobExecutionId);
        return new JiraIssueReader(sourceId, pages, api, jql, mapping.requestedFields());
    }

    @Bean
    @StepScope
    IncidentItemProcessor jiraIssuesProcessor(@Value("#{jobParameters['" + CollectionLauncher.SOURCE_ID + "']}") String sourceId,
            @Value("#{stepExecution.jobExecutionId}") Long jobExecutionId, Sources sources, Quarantine quarantine,
            Cursors cursors) {
        SourceDefinition source = sources.find(sourceId).orElseThrow(() -> new UnknownSourceException(sourceId));
        JiraFieldMapping mapping = mapping(source);
        MapperOptions options = MapperOptions.of(source, IncidentUpstreams.uiUrl(source));
        return new IncidentItemProcessor(item -> JiraMapper.map(item.document(), mapping, options), quarantine, cursors,
                jobExecutionId);
    }

    @Bean
    @StepScope
    IncidentWriteSkipListener jiraSkipListener(@Value("#{stepExecution.jobExecutionId}") Long jobExecutionId,
            Quarantine quarantine) {
        return new IncidentWriteSkipListener(quarantine, jobExecutionId, "jira-issue");
    }

    @Bean
    SourceType jiraSourceType(Job jiraCollectJob) {
        return new SourceType() {
            @Override
            public String type() {
                return JiraMapper.TYPE;
            }

            @Override
            public Job job() {
                return jiraCollectJob;
            }
        };
    }

    private static JiraFieldMapping mapping(SourceDefinition source) {
        try {
            return JiraFieldMapping.of(source.options().get("fields"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Source '" + source.id() + "': " + e.getMessage(), e);
        }
    }
}

package dev.assay.incidents.internal.opsgenie;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

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
import dev.assay.incidents.internal.MappedIncident;
import dev.assay.incidents.internal.MapperOptions;
import dev.assay.incidents.internal.OpsgenieMapper;
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
 * The {@code opsgenie} source type: alerts of the Opsgenie teams named in the {@code teams} option
 * ({@code Authorization: GenieKey …}). Opsgenie's REST API works until Atlassian retires it
 * (5 April 2027); see docs/incidents.md for sources that moved to Jira Service Management.
 */
@Configuration(proxyBeanMethods = false)
class OpsgenieCollectJobConfiguration {

    static final String JOB_NAME = "opsgenieCollectJob";
    private static final Duration DEFAULT_LOOKBACK = Duration.ofDays(180);

    @Bean
    Job opsgenieCollectJob(JobRepository jobRepository, Step opsgenieWaitForCatalogStep, Step opsgenieAlertsStep,
            Step opsgenieServicesRemapStep) {
        return new JobBuilder(JOB_NAME, jobRepository).start(opsgenieWaitForCatalogStep).next(opsgenieAlertsStep)
                .next(opsgenieServicesRemapStep).build();
    }

    @Bean
    Step opsgenieWaitForCatalogStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            Sources sources, JobExecutions executions, ObjectProvider<Sleeper> sleeper, CollectorSettings settings) {
        return new StepBuilder("opsgenieWaitForCatalogStep", jobRepository)
                .tasklet(new CatalogWaitTasklet(sources, executions, sleeper.getIfAvailable(() -> Sleeper.REAL),
                        settings.catalogWait()), transactionManager)
                .build();
    }

    @Bean
    Step opsgenieAlertsStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            OpsgenieAlertReader opsgenieAlertsReader, IncidentItemProcessor opsgenieAlertsProcessor, IncidentStore store,
            ServiceResolver resolver, Cursors cursors, IncidentWriteSkipListener opsgenieSkipListener,
            CollectorSettings settings) {
        return new StepBuilder("opsgenieAlertsStep", jobRepository)
                .<CollectedItem, MappedIncident>chunk(settings.chunkSize())
                .transactionManager(transactionManager)
                .reader(opsgenieAlertsReader)
                .processor(opsgenieAlertsProcessor)
                .writer(new IncidentItemWriter(store, resolver, cursors))
                .faultTolerant()
                .skip(DataIntegrityViolationException.class)
                .skipLimit(1_000)
                .skipListener(opsgenieSkipListener)
                .build();
    }

    @Bean
    Step opsgenieServicesRemapStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            RemapServicesTasklet opsgenieRemapTasklet) {
        return new StepBuilder("opsgenieServicesRemapStep", jobRepository).tasklet(opsgenieRemapTasklet, transactionManager)
                .build();
    }

    @Bean
    @StepScope
    RemapServicesTasklet opsgenieRemapTasklet(
            @Value("#{jobParameters['" + CollectionLauncher.SOURCE_ID + "']}") String sourceId, IncidentStore store,
            ServiceResolver resolver) {
        return new RemapServicesTasklet(store, resolver, sourceId);
    }

    @Bean
    @StepScope
    OpsgenieAlertReader opsgenieAlertsReader(
            @Value("#{jobParameters['" + CollectionLauncher.SOURCE_ID + "']}") String sourceId,
            @Value("#{stepExecution.jobExecutionId}") Long jobExecutionId, Sources sources, IncidentUpstreams upstreams,
            UntrustedJson json, Quarantine quarantine, PlatformTransactionManager transactionManager, Cursors cursors,
            IncidentStore store, Clock clock) {
        SourceDefinition source = sources.find(sourceId).orElseThrow(() -> new UnknownSourceException(sourceId));
        SourceDefinition effective = upstreams.effective(source);
        Instant now = clock.instant();
        Duration lookback = Windows.option(source, "lookback", DEFAULT_LOOKBACK);
        Instant oldestOpen = store.oldestUnresolved(sourceId);
        PageFetcher pages = new PageFetcher(upstreams.client(effective, UpstreamAuth.GENIE_KEY), json, quarantine,
                transactionManager, sourceId, jobExecutionId);
        return new OpsgenieAlertReader(sourceId, pages, source.listOption("teams"),
                team -> Windows.since(Watermarks.get(cursors, sourceId, OpsgenieAlertReader.cursorKey(team)).orElse(null),
                        oldestOpen, now, lookback));
    }

    @Bean
    @StepScope
    IncidentItemProcessor opsgenieAlertsProcessor(
            @Value("#{jobParameters['" + CollectionLauncher.SOURCE_ID + "']}") String sourceId,
            @Value("#{stepExecution.jobExecutionId}") Long jobExecutionId, Sources sources, Quarantine quarantine,
            Cursors cursors) {
        SourceDefinition source = sources.find(sourceId).orElseThrow(() -> new UnknownSourceException(sourceId));
        Object ui = source.options().get("ui-url");
        MapperOptions options = MapperOptions.of(source, null);
        return new IncidentItemProcessor(item -> OpsgenieMapper.map(item.document(), item.extra(), item.team(),
                ui == null ? null : String.valueOf(ui), options), quarantine, cursors, jobExecutionId);
    }

    @Bean
    @StepScope
    IncidentWriteSkipListener opsgenieSkipListener(@Value("#{stepExecution.jobExecutionId}") Long jobExecutionId,
            Quarantine quarantine) {
        return new IncidentWriteSkipListener(quarantine, jobExecutionId, "opsgenie-alert");
    }

    @Bean
    SourceType opsgenieSourceType(Job opsgenieCollectJob) {
        return new SourceType() {
            @Override
            public String type() {
                return OpsgenieMapper.TYPE;
            }

            @Override
            public Job job() {
                return opsgenieCollectJob;
            }
        };
    }
}

package dev.assay.incidents.internal.pagerduty;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
import dev.assay.collect.ReadAheadReader;
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
import dev.assay.incidents.internal.PagerDutyMapper;
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
 * The {@code pagerduty} source type: incidents of a PagerDuty account (REST API v2,
 * {@code Authorization: Token token=…}), optionally only those of the services named in the
 * {@code services} option and the {@code statuses}. Steps: wait for a running catalog import, read
 * and store incidents (chunks commit with their watermark), resolve services again.
 */
@Configuration(proxyBeanMethods = false)
class PagerDutyCollectJobConfiguration {

    static final String JOB_NAME = "pagerdutyCollectJob";
    private static final Duration DEFAULT_LOOKBACK = Duration.ofDays(180);
    private static final Duration DEFAULT_WINDOW = Duration.ofDays(30);
    /** Items read ahead of the step: two pages of incidents. */
    private static final int READ_AHEAD = 200;
    private static final Set<String> LOG_ENTRY_MODES = Set.of("when-needed", "always", "never");

    @Bean
    Job pagerdutyCollectJob(JobRepository jobRepository, Step pagerdutyWaitForCatalogStep, Step pagerdutyIncidentsStep,
            Step pagerdutyServicesRemapStep) {
        return new JobBuilder(JOB_NAME, jobRepository).start(pagerdutyWaitForCatalogStep).next(pagerdutyIncidentsStep)
                .next(pagerdutyServicesRemapStep).build();
    }

    @Bean
    Step pagerdutyWaitForCatalogStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            Sources sources, JobExecutions executions, ObjectProvider<Sleeper> sleeper, CollectorSettings settings) {
        return new StepBuilder("pagerdutyWaitForCatalogStep", jobRepository)
                .tasklet(new CatalogWaitTasklet(sources, executions, sleeper.getIfAvailable(() -> Sleeper.REAL),
                        settings.catalogWait()), transactionManager)
                .build();
    }

    @Bean
    Step pagerdutyIncidentsStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ReadAheadReader<CollectedItem> pagerdutyIncidentsReader, IncidentItemProcessor pagerdutyIncidentsProcessor,
            IncidentStore store, ServiceResolver resolver, Cursors cursors, IncidentWriteSkipListener pagerdutySkipListener,
            CollectorSettings settings) {
        return new StepBuilder("pagerdutyIncidentsStep", jobRepository)
                .<CollectedItem, MappedIncident>chunk(settings.chunkSize())
                .transactionManager(transactionManager)
                .reader(pagerdutyIncidentsReader)
                .processor(pagerdutyIncidentsProcessor)
                .writer(new IncidentItemWriter(store, resolver, cursors))
                .faultTolerant()
                .skip(DataIntegrityViolationException.class)
                .skipLimit(1_000)
                .skipListener(pagerdutySkipListener)
                .build();
    }

    @Bean
    Step pagerdutyServicesRemapStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            RemapServicesTasklet pagerdutyRemapTasklet) {
        return new StepBuilder("pagerdutyServicesRemapStep", jobRepository).tasklet(pagerdutyRemapTasklet, transactionManager)
                .build();
    }

    @Bean
    @StepScope
    RemapServicesTasklet pagerdutyRemapTasklet(
            @Value("#{jobParameters['" + CollectionLauncher.SOURCE_ID + "']}") String sourceId, IncidentStore store,
            ServiceResolver resolver) {
        return new RemapServicesTasklet(store, resolver, sourceId);
    }

    /**
     * The reader runs a page ahead of the step on a thread of its own ({@link ReadAheadReader}): the
     * next pages are requested and parsed while a chunk is mapped and written.
     */
    @Bean
    @StepScope
    ReadAheadReader<CollectedItem> pagerdutyIncidentsReader(
            @Value("#{jobParameters['" + CollectionLauncher.SOURCE_ID + "']}") String sourceId,
            @Value("#{stepExecution.jobExecutionId}") Long jobExecutionId, Sources sources, IncidentUpstreams upstreams,
            UntrustedJson json, Quarantine quarantine, PlatformTransactionManager transactionManager, Cursors cursors,
            IncidentStore store, Clock clock) {
        SourceDefinition source = sources.find(sourceId).orElseThrow(() -> new UnknownSourceException(sourceId));
        SourceDefinition effective = upstreams.effective(source);
        String logEntries = String.valueOf(source.options().getOrDefault("log-entries", "when-needed"));
        if (!LOG_ENTRY_MODES.contains(logEntries)) {
            throw new IllegalArgumentException("Source '" + sourceId + "': 'log-entries' must be one of " + LOG_ENTRY_MODES);
        }
        Instant now = clock.instant();
        PagerDutyIncidentReader.Start start = new PagerDutyIncidentReader.Start(
                Watermarks.get(cursors, sourceId, PagerDutyIncidentReader.CURSOR).orElse(null),
                Watermarks.get(cursors, sourceId, PagerDutyIncidentReader.LOG_CURSOR).orElse(null),
                store.oldestUnresolved(sourceId), Windows.option(source, "lookback", DEFAULT_LOOKBACK));
        PageFetcher pages = new PageFetcher(upstreams.client(effective, UpstreamAuth.PAGERDUTY_TOKEN), json, quarantine,
                transactionManager, sourceId, jobExecutionId);
        PagerDutyIncidentReader reader = new PagerDutyIncidentReader(sourceId, pages, start, now,
                Windows.option(source, "window", DEFAULT_WINDOW), source.listOption("statuses"), source.listOption("services"),
                logEntries, store, cursors);
        return new ReadAheadReader<>(reader, reader::finish, READ_AHEAD, "read-ahead-" + sourceId);
    }

    @Bean
    @StepScope
    IncidentItemProcessor pagerdutyIncidentsProcessor(
            @Value("#{jobParameters['" + CollectionLauncher.SOURCE_ID + "']}") String sourceId,
            @Value("#{stepExecution.jobExecutionId}") Long jobExecutionId, Sources sources, Quarantine quarantine,
            Cursors cursors) {
        SourceDefinition source = sources.find(sourceId).orElseThrow(() -> new UnknownSourceException(sourceId));
        MapperOptions options = MapperOptions.of(source, IncidentUpstreams.uiUrl(source));
        return new IncidentItemProcessor(item -> PagerDutyMapper.map(item.document(), item.extra(), options), quarantine,
                cursors, jobExecutionId);
    }

    @Bean
    @StepScope
    IncidentWriteSkipListener pagerdutySkipListener(@Value("#{stepExecution.jobExecutionId}") Long jobExecutionId,
            Quarantine quarantine) {
        return new IncidentWriteSkipListener(quarantine, jobExecutionId, "pagerduty-incident");
    }

    @Bean
    SourceType pagerdutySourceType(Job pagerdutyCollectJob) {
        return new SourceType() {
            @Override
            public String type() {
                return PagerDutyMapper.TYPE;
            }

            @Override
            public Job job() {
                return pagerdutyCollectJob;
            }
        };
    }
}

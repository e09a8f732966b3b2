package dev.assay.artifacts.internal.registry;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.listener.SkipListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.PlatformTransactionManager;

import dev.assay.artifacts.internal.ArtifactSettings;
import dev.assay.artifacts.internal.ArtifactStore;
import dev.assay.artifacts.internal.EvidenceIntake;
import dev.assay.collect.CollectionLauncher;
import dev.assay.collect.Cursors;
import dev.assay.collect.Quarantine;
import dev.assay.collect.SourceDefinition;
import dev.assay.collect.SourceType;
import dev.assay.collect.Sources;
import dev.assay.collect.UnknownSourceException;
import dev.assay.common.UntrustedJson;

/**
 * The {@code oci-registry} source type: {@code ociRegistryCollectJob} lists a registry's repositories
 * and tags ({@code ociRegistryTagReader}), collects each tag's artifact and attached evidence
 * ({@code ociRegistryArtifactProcessor}) and stores them with their cursors.
 */
@Configuration(proxyBeanMethods = false)
class OciRegistryCollectJobConfiguration {

    static final String JOB_NAME = "ociRegistryCollectJob";
    private static final int CHUNK_SIZE = 10;

    @Bean
    Job ociRegistryCollectJob(JobRepository jobRepository, Step ociRegistryCollectStep) {
        return new JobBuilder(JOB_NAME, jobRepository).start(ociRegistryCollectStep).build();
    }

    @Bean
    Step ociRegistryCollectStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            OciTagReader ociRegistryTagReader, OciArtifactProcessor ociRegistryArtifactProcessor,
            OciArtifactWriter ociRegistryArtifactWriter, OciWriteSkipListener ociRegistrySkipListener) {
        return new StepBuilder("ociRegistryCollectStep", jobRepository)
                .<TagRef, CollectedArtifact>chunk(CHUNK_SIZE)
                .transactionManager(transactionManager)
                .reader(ociRegistryTagReader)
                .processor(ociRegistryArtifactProcessor)
                .writer(ociRegistryArtifactWriter)
                .faultTolerant()
                // an artifact the database refuses is quarantined alone; the rest of its chunk is written
                .skip(DataIntegrityViolationException.class)
                .skipLimit(1_000)
                .skipListener(ociRegistrySkipListener)
                .build();
    }

    @Bean
    @StepScope
    OciTagReader ociRegistryTagReader(@Value("#{jobParameters['" + CollectionLauncher.SOURCE_ID + "']}") String sourceId,
            @Value("#{stepExecution.jobExecutionId}") Long jobExecutionId, Sources sources, RegistryClients clients,
            Quarantine quarantine, UntrustedJson json, ArtifactSettings settings) {
        SourceDefinition source = sources.find(sourceId).orElseThrow(() -> new UnknownSourceException(sourceId));
        return new OciTagReader(source, clients.forSource(source), quarantine, json, jobExecutionId,
                settings.maxTagsPerRepository());
    }

    @Bean
    @StepScope
    OciArtifactProcessor ociRegistryArtifactProcessor(
            @Value("#{jobParameters['" + CollectionLauncher.SOURCE_ID + "']}") String sourceId,
            @Value("#{stepExecution.jobExecutionId}") Long jobExecutionId, Sources sources, RegistryClients clients,
            EvidenceIntake intake, Cursors cursors, Quarantine quarantine, UntrustedJson json, ArtifactSettings settings) {
        SourceDefinition source = sources.find(sourceId).orElseThrow(() -> new UnknownSourceException(sourceId));
        return new OciArtifactProcessor(source, clients.forSource(source), intake, cursors, quarantine, json, settings,
                jobExecutionId);
    }

    @Bean
    @StepScope
    OciArtifactWriter ociRegistryArtifactWriter(@Value("#{jobParameters['" + CollectionLauncher.SOURCE_ID + "']}") String sourceId,
            ArtifactStore artifacts, EvidenceIntake intake, Cursors cursors) {
        return new OciArtifactWriter(sourceId, artifacts, intake, cursors);
    }

    @Bean
    @StepScope
    OciWriteSkipListener ociRegistrySkipListener(@Value("#{jobParameters['" + CollectionLauncher.SOURCE_ID + "']}") String sourceId,
            @Value("#{stepExecution.jobExecutionId}") Long jobExecutionId, Quarantine quarantine) {
        return new OciWriteSkipListener(sourceId, quarantine, jobExecutionId);
    }

    @Bean
    SourceType ociRegistrySourceType(Job ociRegistryCollectJob) {
        return new SourceType() {
            @Override
            public String type() {
                return "oci-registry";
            }

            @Override
            public Job job() {
                return ociRegistryCollectJob;
            }
        };
    }

    /** Quarantines an artifact the database refused to store. */
    static class OciWriteSkipListener implements SkipListener<TagRef, CollectedArtifact> {

        private final String sourceId;
        private final Quarantine quarantine;
        private final long jobExecutionId;

        OciWriteSkipListener(String sourceId, Quarantine quarantine, long jobExecutionId) {
            this.sourceId = sourceId;
            this.quarantine = quarantine;
            this.jobExecutionId = jobExecutionId;
        }

        @Override
        public void onSkipInWrite(CollectedArtifact item, Throwable t) {
            Throwable root = t;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            quarantine.hold(sourceId, "oci-manifest", item.tag().location(), null,
                    "the store refused the artifact: " + root.getMessage(), jobExecutionId);
        }
    }
}

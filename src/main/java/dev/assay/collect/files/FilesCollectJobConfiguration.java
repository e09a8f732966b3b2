package dev.assay.collect.files;

import java.util.List;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.support.ResourcePatternResolver;
import org.springframework.transaction.PlatformTransactionManager;

import dev.assay.collect.CollectionLauncher;
import dev.assay.collect.Cursors;
import dev.assay.collect.FileFormat;
import dev.assay.collect.Quarantine;
import dev.assay.collect.SourceType;
import dev.assay.collect.Sources;
import dev.assay.collect.UnknownSourceException;

/**
 * The {@code files} source type: imports documents (Backstage catalog YAML, CODEOWNERS, ...) from
 * the files matched by a source's {@code paths}. Each format is contributed by the feature that
 * owns its facts; this job only reads, dispatches, quarantines and advances cursors.
 */
@Configuration(proxyBeanMethods = false)
class FilesCollectJobConfiguration {

    static final String JOB_NAME = "filesCollectJob";
    private static final int CHUNK_SIZE = 50;
    private static final long MAX_FILE_BYTES = 10L * 1024 * 1024;

    @Bean
    Job filesCollectJob(JobRepository jobRepository, Step filesImportStep) {
        return new JobBuilder(JOB_NAME, jobRepository).start(filesImportStep).build();
    }

    @Bean
    Step filesImportStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            FileDocumentReader filesReader, FileDocumentProcessor filesProcessor, Cursors cursors) {
        return new StepBuilder("filesImportStep", jobRepository)
                .<FileDocument, ParsedDocument>chunk(CHUNK_SIZE)
                .transactionManager(transactionManager)
                .reader(filesReader)
                .processor(filesProcessor)
                .writer(new FileDocumentWriter(cursors))
                // No write-skip: in Spring Batch 6.0.4 a skipped write rolls back the whole chunk
                // (good records and the quarantine row included) while the step still reports
                // COMPLETED (spring-batch#5361). Formats validate in their parsers instead, so a record
                // the database refuses is a bug that fails the job loudly; the chunk's cursors are not
                // advanced, and the next run retries it.
                .build();
    }

    @Bean
    @StepScope
    FileDocumentReader filesReader(@Value("#{jobParameters['" + CollectionLauncher.SOURCE_ID + "']}") String sourceId,
            Sources sources, ResourcePatternResolver resolver, List<FileFormat<?>> formats, Cursors cursors) {
        var source = sources.find(sourceId).orElseThrow(() -> new UnknownSourceException(sourceId));
        return new FileDocumentReader(source, resolver, formats, cursors, MAX_FILE_BYTES);
    }

    @Bean
    @StepScope
    FileDocumentProcessor filesProcessor(@Value("#{stepExecution.jobExecutionId}") Long jobExecutionId,
            Quarantine quarantine, Cursors cursors) {
        return new FileDocumentProcessor(quarantine, cursors, jobExecutionId);
    }

    @Bean
    SourceType filesSourceType(Job filesCollectJob) {
        return new SourceType() {
            @Override
            public String type() {
                return "files";
            }

            @Override
            public Job job() {
                return filesCollectJob;
            }
        };
    }
}

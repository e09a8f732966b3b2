package dev.assay.collect;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;


/**
 * On the very first start of an installation (no collection job has ever run in this database),
 * collects every source once, through the same jobs a schedule or the "collect now" button runs.
 * With the default sources file that imports the demo organisation in {@code batch-jobs/demo/}.
 */
@Component
class FirstStartCollection implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(FirstStartCollection.class);

    private final CollectSettings settings;
    private final Sources sources;
    private final CollectionLauncher launcher;
    private final JobRepository jobRepository;

    FirstStartCollection(CollectSettings settings, Sources sources, CollectionLauncher launcher,
            JobRepository jobRepository) {
        this.settings = settings;
        this.sources = sources;
        this.launcher = launcher;
        this.jobRepository = jobRepository;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!settings.collectOnFirstStart() || !jobRepository.getJobNames().isEmpty()) {
            return;
        }
        for (SourceDefinition source : sources.all()) {
            if (!launcher.hasType(source.type())) {
                log.info("Source {} ({}) is not collected on first start: this version has no {} collector",
                        source.id(), source.type(), source.type());
                continue;
            }
            try {
                long execution = launcher.launch(source.id(), "system:first-start");
                log.info("First start: collecting source {} (job execution {})", source.id(), execution);
            } catch (RuntimeException e) {
                log.warn("First start: could not collect source {}: {}", source.id(), e.getMessage());
            }
        }
    }
}

package dev.assay.collect;

import org.springframework.boot.batch.autoconfigure.BatchTaskExecutor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * Jobs run on their own small pool, so launching one from an HTTP request returns at once with the
 * execution id. Two threads by default ({@code assay.collect.threads}): collections are I/O bound but
 * write to one database, and each running collection holds a pool connection while it reads a chunk;
 * more sources queue rather than contend.
 */
@Configuration(proxyBeanMethods = false)
class CollectionExecutorConfiguration {

    @Bean
    @BatchTaskExecutor
    TaskExecutor collectionTaskExecutor(CollectSettings settings) {
        var executor = new ThreadPoolTaskExecutor();
        executor.setThreadNamePrefix("collect-");
        executor.setCorePoolSize(settings.threads());
        executor.setMaxPoolSize(settings.threads());
        executor.setQueueCapacity(1_000);
        executor.setWaitForTasksToCompleteOnShutdown(true);
        executor.setAwaitTerminationSeconds(30);
        executor.initialize();
        return executor;
    }
}

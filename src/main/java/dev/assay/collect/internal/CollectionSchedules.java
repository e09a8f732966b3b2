package dev.assay.collect.internal;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.TimeZone;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.scheduling.support.CronTrigger;

import dev.assay.collect.CollectionLauncher;
import dev.assay.collect.SourceDefinition;
import dev.assay.collect.Sources;
import net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;

/**
 * Schedules: every source with a {@code schedule} (Spring cron, six fields, or a macro such as
 * {@code @daily}; evaluated in UTC) is collected when it fires, cluster-safely through
 * {@link ScheduledCollection}. Off with {@code assay.collect.schedules-enabled=false} (the tests).
 */
@Configuration(proxyBeanMethods = false)
class CollectionSchedules {

    private static final Logger log = LoggerFactory.getLogger(CollectionSchedules.class);

    /** ShedLock over the {@code shedlock} table, with the database's clock so instances need not agree on time. */
    @Bean
    LockProvider collectLockProvider(DataSource dataSource) {
        return new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
                .withJdbcTemplate(new JdbcTemplate(dataSource)).usingDbTime().build());
    }

    @Bean
    ScheduledCollection scheduledCollection(CollectionLauncher launcher, LockProvider collectLockProvider, Clock clock) {
        return new ScheduledCollection(launcher, new DefaultLockingTaskExecutor(collectLockProvider), clock);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "assay.collect.schedules-enabled", havingValue = "true", matchIfMissing = true)
    static class Starter implements DisposableBean {

        private final Sources sources;
        private final ScheduledCollection collection;
        private final CollectionLauncher launcher;
        /** Its own one-thread scheduler, not a bean: it must not become the application's TaskScheduler. */
        private final ThreadPoolTaskScheduler collectionScheduler = new ThreadPoolTaskScheduler();

        Starter(Sources sources, ScheduledCollection collection, CollectionLauncher launcher) {
            this.sources = sources;
            this.collection = collection;
            this.launcher = launcher;
            collectionScheduler.setPoolSize(1);
            collectionScheduler.setThreadNamePrefix("collect-schedule-");
            collectionScheduler.initialize();
        }

        @Override
        public void destroy() {
            collectionScheduler.shutdown();
        }

        @EventListener(ApplicationReadyEvent.class)
        void start() {
            for (SourceDefinition source : sources.all()) {
                if (source.schedule() == null || source.schedule().isBlank()) {
                    continue;
                }
                if (!launcher.hasType(source.type())) {
                    log.info("Source {} has a schedule but its type {} has no collector in this version", source.id(),
                            source.type());
                    continue;
                }
                CronExpression schedule = CronExpression.parse(source.schedule());
                collectionScheduler.schedule(() -> collection.fire(source.id(), schedule),
                        new CronTrigger(source.schedule(), TimeZone.getTimeZone(ZoneOffset.UTC)));
                log.info("Source {} is collected on schedule '{}' (UTC)", source.id(), source.schedule());
            }
        }
    }
}

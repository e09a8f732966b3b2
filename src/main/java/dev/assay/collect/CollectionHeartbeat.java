package dev.assay.collect;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/** Keeps the locks of this instance's running collections alive (see {@link CollectionLauncher}). */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class CollectionHeartbeat {

    private final CollectionLauncher launcher;

    CollectionHeartbeat(CollectionLauncher launcher) {
        this.launcher = launcher;
    }

    @Scheduled(fixedDelayString = "${assay.collect.heartbeat-interval:PT15S}")
    void beat() {
        launcher.heartbeat();
    }
}

package dev.assay.artifacts.registry;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import dev.assay.collect.http.Sleeper;

/** Records the waits between retries instead of sleeping, so fault tests neither sleep nor race. */
@TestConfiguration(proxyBeanMethods = false)
public class RecordingSleeper {

    public static final List<Duration> WAITS = new CopyOnWriteArrayList<>();

    @Bean
    Sleeper recordingSleeper() {
        return WAITS::add;
    }
}

package dev.assay.collect.http;

import java.time.Duration;

/** Waiting between retries, behind an interface so that fault tests do not really sleep. */
@FunctionalInterface
public interface Sleeper {

    void sleep(Duration duration) throws InterruptedException;

    Sleeper REAL = duration -> Thread.sleep(duration.toMillis());
}

package dev.assay.metrics;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

import dev.assay.AssayIntegrationTest;
import dev.assay.playbooks.MutableClock;

/** The metrics tests' context: the metrics test catalog and a clock the tests set. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@AssayIntegrationTest
@TestPropertySource(properties = {
        "assay.sources-file=src/test/resources/sources/metrics-sources.yml",
        "assay.findings.expiry-check-interval=PT24H"
})
@Import(MutableClock.Configuration.class)
@interface MetricsIntegrationTest {
}

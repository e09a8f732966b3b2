package dev.assay.playbooks;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.event.RecordApplicationEvents;

import dev.assay.AssayIntegrationTest;

/**
 * The playbooks integration tests: one shared context with the playbooks test sources (a small
 * catalog, runbook files, a conflicting source) and a {@link MutableClock} in place of the
 * application clock. Application events are recorded per test.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@AssayIntegrationTest
@TestPropertySource(properties = "assay.sources-file=src/test/resources/playbooks/playbooks-sources.yml")
@Import(MutableClock.Configuration.class)
@RecordApplicationEvents
public @interface PlaybooksIntegrationTest {
}

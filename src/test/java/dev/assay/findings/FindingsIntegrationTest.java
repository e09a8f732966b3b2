package dev.assay.findings;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

import dev.assay.AssayIntegrationTest;

/**
 * The findings tests' context: the application on its test database with the findings test
 * catalog ({@code sources/findings-sources.yml}) and a clock the tests move by hand. All findings
 * test classes share this one cached context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@AssayIntegrationTest
@TestPropertySource(properties = {
        "assay.sources-file=src/test/resources/sources/findings-sources.yml",
        // The scheduled expiry check must not race the tests: they call the check themselves.
        "assay.findings.expiry-check-interval=PT24H"
})
@Import(FindingsTestConfiguration.class)
@interface FindingsIntegrationTest {
}

package dev.assay;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;

/**
 * An integration test on a real database: H2 in memory by default (one database per Spring
 * context), or the PostgreSQL named by {@code ASSAY_TEST_DATASOURCE_URL} in the full suite, where
 * every test cleans the tables it uses with {@link DatabaseCleaner}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(properties = {
        "spring.datasource.url=${assay.test.datasource-url:jdbc:h2:mem:assay-${random.uuid};MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1}",
        "spring.datasource.username=${assay.test.datasource-username:sa}",
        "spring.datasource.password=${assay.test.datasource-password:}",
        "assay.collect.collect-on-first-start=false",
        "assay.collect.schedules-enabled=false",
        "assay.findings.policy-checks-scheduled=false",
        "assay.admin-password=test-admin-password-1",
        "assay.sources-file=src/test/resources/sources/test-sources.yml",
        // Tests run the metrics rollup job themselves; the scheduler must not race them.
        "assay.metrics.scheduling-enabled=false"
})
@AutoConfigureMockMvc
public @interface AssayIntegrationTest {
}

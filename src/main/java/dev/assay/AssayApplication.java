package dev.assay;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Assay: security governance metrics from evidence, not self-reporting. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AssayApplication {

    public static void main(String[] args) {
        SpringApplication.run(AssayApplication.class, args);
    }
}

package dev.assay.artifacts;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.test.context.TestPropertySource;

import dev.assay.AssayIntegrationTest;

/**
 * The artifacts feature's integration tests: the application on H2 with the sources of
 * src/test/resources/sources/artifacts-sources.yml (a small catalog with image repositories, and the
 * demo evidence), MPL-1.0 added to the license deny list so the SPDX spec example breaks it, and a
 * 1 MiB ingest limit so the 413 test stays small, and the Sigstore production trusted root (a real
 * copy, fixtures/interop) for keyless verification. One set of properties: one cached context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@AssayIntegrationTest
@TestPropertySource(properties = {
        "assay.sources-file=src/test/resources/sources/artifacts-sources.yml",
        "assay.artifacts.licenses.deny=AGPL-3.0-only,SSPL-1.0,MPL-1.0",
        "assay.collect.ingest.max-bytes=1048576",
        "assay.artifacts.sigstore.trusted-root=classpath:fixtures/interop/sigstore-bundle-v3-github-prod/trusted_root.json"
})
public @interface ArtifactsIntegrationTest {
}

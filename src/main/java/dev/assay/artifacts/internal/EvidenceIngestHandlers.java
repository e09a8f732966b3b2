package dev.assay.artifacts.internal;

import java.util.List;
import java.util.stream.Collectors;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.assay.artifacts.internal.EvidenceStore.Stored;
import dev.assay.artifacts.internal.parse.ArtifactRef;
import dev.assay.collect.RecordRejectedException;
import dev.assay.collect.ingest.IngestHandler;
import dev.assay.collect.ingest.IngestRequest;

/**
 * {@code POST /api/v1/ingest/{sbom|scan|provenance|signature}}: the same parsers, checks and stores as
 * the collectors. {@code ?artifact=<repository>@sha256:<hex>} names the artifact unless the document
 * does; {@code ?format=} names the format unless it is to be detected. A document that cannot be
 * taken is answered 400 with the reason and quarantined by the framework.
 */
@Configuration(proxyBeanMethods = false)
class EvidenceIngestHandlers {

    @Bean
    IngestHandler sbomIngestHandler(EvidenceIntake intake) {
        return new Handler("sbom", intake);
    }

    @Bean
    IngestHandler scanIngestHandler(EvidenceIntake intake) {
        return new Handler("scan", intake);
    }

    @Bean
    IngestHandler provenanceIngestHandler(EvidenceIntake intake) {
        return new Handler("provenance", intake);
    }

    @Bean
    IngestHandler signatureIngestHandler(EvidenceIntake intake) {
        return new Handler("signature", intake);
    }

    static final class Handler implements IngestHandler {

        private final String kind;
        private final EvidenceIntake intake;

        Handler(String kind, EvidenceIntake intake) {
            this.kind = kind;
            this.intake = intake;
        }

        @Override
        public String kind() {
            return kind;
        }

        @Override
        public String ingest(IngestRequest request) throws RecordRejectedException {
            EvidenceIntake.Prepared prepared;
            try {
                ArtifactRef artifact = request.artifact() == null || request.artifact().isBlank() ? null
                        : ArtifactRef.parse(request.artifact());
                prepared = intake.prepare(new EvidenceIntake.Request(kind, request.format(), artifact, request.body(), "ingest",
                        "ingest:" + kind));
            } catch (IllegalArgumentException e) {
                throw new RecordRejectedException(e.getMessage(), e);
            }
            List<Stored> stored;
            try {
                stored = intake.storePushed(prepared, request.actor());
            } catch (IllegalArgumentException e) {
                throw new RecordRejectedException(e.getMessage(), e);
            }
            return stored.stream().map(Stored::reference).collect(Collectors.joining(","));
        }
    }
}

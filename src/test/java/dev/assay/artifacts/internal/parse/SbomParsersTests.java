package dev.assay.artifacts.internal.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.cyclonedx.model.Bom;
import org.cyclonedx.parsers.XmlParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.assay.artifacts.Fixtures;
import dev.assay.common.UntrustedJson;

/** CycloneDX (JSON and XML, through the CycloneDX library) and SPDX 2.3 JSON against the published samples. */
class SbomParsersTests {

    private final UntrustedJson json = new UntrustedJson();
    private final CycloneDxParser cyclonedx = new CycloneDxParser();

    @Test
    void cycloneDxSpecExampleHasThreeComponentsOneDependencyAndTheirLicenses() {
        ParsedSbom sbom = cyclonedx.parseJson(Fixtures.text("sbom/cyclonedx-1.6-spec-valid-bom.cdx.json"));

        assertThat(sbom.format()).isEqualTo("cyclonedx-json");
        assertThat(sbom.specVersion()).isEqualTo("1.6");
        assertThat(sbom.serialNumber()).isEqualTo("urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79");
        assertThat(sbom.tool()).isEqualTo("Awesome Tool 9.1.2");
        assertThat(sbom.createdAt()).isEqualTo(Instant.parse("2020-04-13T20:20:39Z"));
        assertThat(sbom.dependencyCount()).isEqualTo(1);
        assertThat(sbom.components()).extracting(SbomComponentItem::name, SbomComponentItem::version, SbomComponentItem::type,
                SbomComponentItem::purl, SbomComponentItem::licenses)
                .containsExactly(
                        tuple("tomcat-catalina", "9.0.14", "application", "pkg:maven/com.acme/tomcat-catalina@9.0.14?packaging=jar",
                                List.of("Apache-2.0")),
                        tuple("mylibrary", "1.0.0", "library", "pkg:maven/com.example/myapplication@1.0.0?packaging=war",
                                List.of("EPL-2.0 OR GPL-2.0-with-classpath-exception")),
                        tuple("myframework", "1.0.0", "framework", "pkg:maven/com.example/myframework@1.0.0?packaging=war",
                                List.of("Some random license")));
    }

    @Test
    void cycloneDxWrittenByTrivyUsesTheNewToolsFormAndCountsEveryDependencyEdge() {
        ParsedSbom sbom = cyclonedx.parseJson(Fixtures.text("sbom/cyclonedx-1.6-trivy-fluentd-image-with-vulns.cdx.json"));

        assertThat(sbom.tool()).isEqualTo("trivy dev");
        assertThat(sbom.components()).extracting(SbomComponentItem::name, SbomComponentItem::type)
                .containsExactly(tuple("debian", "operating-system"), tuple("bash", "library"), tuple("libidn2-0", "library"),
                        tuple("activesupport", "library"));
        assertThat(sbom.components().get(3).licenses()).containsExactly("MIT");
        assertThat(sbom.dependencyCount()).isEqualTo(4);
    }

    @Test
    void cycloneDxXmlIsReadByTheLibrary() {
        ParsedSbom dependencies = cyclonedx.parseXml(Fixtures.text("sbom/cyclonedx-1.6-spec-valid-dependency.cdx.xml"));
        assertThat(dependencies.format()).isEqualTo("cyclonedx-xml");
        assertThat(dependencies.specVersion()).isEqualTo("1.6");
        assertThat(dependencies.components()).extracting(SbomComponentItem::bomRef, SbomComponentItem::name)
                .containsExactly(tuple("library-a", "acme-library-a"), tuple("library-b", "acme-library-b"),
                        tuple("library-c", "acme-library-b"));
        assertThat(dependencies.dependencyCount()).isEqualTo(1);

        ParsedSbom expression = cyclonedx.parseXml(Fixtures.text("sbom/cyclonedx-1.6-spec-valid-license-expression.cdx.xml"));
        assertThat(expression.components()).singleElement().satisfies(c -> {
            assertThat(c.licenses()).containsExactly("EPL-2.0 OR GPL-2.0 WITH Classpath-exception-2.0");
            assertThat(c.purl()).isEqualTo("pkg:maven/com.acme/tomcat-catalina@9.0.14?packaging=jar");
        });
    }

    @Test
    void spdxSpecExampleHasFourPackagesAndOneLinkBetweenPackages() {
        ParsedSbom sbom = new SpdxJsonParser().parse(json.readTree(Fixtures.text("sbom/spdx-2.3-spec-example.spdx.json")));

        assertThat(sbom.format()).isEqualTo("spdx-json");
        assertThat(sbom.specVersion()).isEqualTo("2.3");
        assertThat(sbom.tool()).isEqualTo("LicenseFind-1.0");
        assertThat(sbom.createdAt()).isEqualTo(Instant.parse("2010-01-29T18:30:22Z"));
        assertThat(sbom.components()).extracting(SbomComponentItem::name, SbomComponentItem::version, SbomComponentItem::purl,
                SbomComponentItem::licenses)
                .containsExactly(
                        tuple("glibc", "2.11.1", null, List.of("(LGPL-2.0-only OR LicenseRef-3)")),
                        tuple("Apache Commons Lang", null, null, List.of()),
                        tuple("Jena", "3.12.0", "pkg:maven/org.apache.jena/apache-jena@3.12.0", List.of()),
                        tuple("Saxon", "8.8", null, List.of("MPL-1.0")));
        assertThat(sbom.dependencyCount()).isEqualTo(1);
    }

    @Test
    void spdxWrittenByTrivyHasThreePackagesAndTwoContainmentEdges() {
        ParsedSbom sbom = new SpdxJsonParser().parse(json.readTree(Fixtures.text("sbom/spdx-2.3-trivy-conda-filesystem.spdx.json")));

        assertThat(sbom.tool()).isEqualTo("trivy-dev");
        assertThat(sbom.components()).extracting(SbomComponentItem::name, SbomComponentItem::purl, SbomComponentItem::type)
                .containsExactly(tuple("openssl", "pkg:conda/openssl@1.1.1q", "library"), tuple("pip", "pkg:conda/pip@22.2.2", "library"),
                        tuple("testdata/fixtures/repo/conda", null, "source"));
        assertThat(sbom.dependencyCount()).isEqualTo(2);
    }

    @Test
    void formatsAreDetectedFromContent() {
        assertThat(FormatDetector.detect(json.readTree(Fixtures.text("sbom/cyclonedx-1.6-spec-valid-bom.cdx.json"))))
                .contains(EvidenceFormat.CYCLONEDX_JSON);
        assertThat(FormatDetector.detect(json.readTree(Fixtures.text("sbom/spdx-2.3-spec-example.spdx.json"))))
                .contains(EvidenceFormat.SPDX_JSON);
        assertThat(FormatDetector.detectXml(Fixtures.text("sbom/cyclonedx-1.6-spec-valid-dependency.cdx.xml")))
                .contains(EvidenceFormat.CYCLONEDX_XML);
        assertThat(FormatDetector.detect(json.readTree(Fixtures.text("provenance/dsse-envelope-slsa-provenance-v1-bazel-builder.json"))))
                .contains(EvidenceFormat.DSSE);
        assertThat(FormatDetector.detect(json.readTree(Fixtures.text("provenance/sigstore-bundle-v0.3-dsse-statement-v1-slsa-v1-bcr.json"))))
                .contains(EvidenceFormat.SIGSTORE_BUNDLE);
        assertThat(FormatDetector.detect(json.readTree(Fixtures.text("registry/oci-image-index.image-spec-example.json")))).isEmpty();
    }

    @Test
    void anXmlDocumentTypeDeclarationIsRefusedBeforeTheLibrarySeesIt(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-CONTENT");
        String xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE bom [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>\n"
                + "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\" version=\"1\"><components>"
                + "<component type=\"library\"><name>&xxe;</name><version>1</version></component></components></bom>";

        assertThatThrownBy(() -> cyclonedx.parseXml(xxe)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not contain a document type declaration");
    }

    @Test
    void theCycloneDxLibraryItselfDoesNotResolveExternalEntities(@TempDir Path dir) throws Exception {
        // Defence in depth: even without Assay's DOCTYPE check, the library's XML stack must not read the file.
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-CONTENT");
        String xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE bom [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>\n"
                + "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\" version=\"1\"><components>"
                + "<component type=\"library\"><name>&xxe;</name><version>1</version></component></components></bom>";
        Bom bom = null;
        try {
            bom = new XmlParser().parse(xxe.getBytes(StandardCharsets.UTF_8));
        } catch (Exception refused) {
            assertThat(refused.toString()).doesNotContain("TOP-SECRET-CONTENT");
        }
        if (bom != null && bom.getComponents() != null) {
            assertThat(bom.getComponents()).allSatisfy(c -> assertThat(String.valueOf(c.getName())).doesNotContain("TOP-SECRET"));
        }
    }

    @Test
    void brokenDocumentsAreRefusedWithTheParsersMessage() {
        assertThatThrownBy(() -> cyclonedx.parseJson("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"components\":{}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not a readable CycloneDX JSON BOM: ");
        assertThatThrownBy(() -> cyclonedx.parseXml("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\"><components>"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not a readable CycloneDX XML BOM: ");
        assertThatThrownBy(() -> new SpdxJsonParser().parse(json.readTree("{\"spdxVersion\":\"SPDX-3.0\"}")))
                .hasMessage("not an SPDX 2.x JSON document: spdxVersion is 'SPDX-3.0'");
    }
}

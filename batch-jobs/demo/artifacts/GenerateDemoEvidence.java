import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes Assay's demo evidence (see README.md): image manifests, CycloneDX / SPDX SBOMs, Trivy, Grype
 * and SARIF reports, signed SLSA provenance and cosign signatures, all in the tools' real formats,
 * for invented Acme images. Run from this folder: {@code java GenerateDemoEvidence.java}.
 * <p>
 * Each run makes a new release key pair: the public key goes to keys/acme-release.pub, the private
 * key lives only in this process's memory, so every signature is replaced. A second, "stranger" key
 * signs the image that must fail as signed by an untrusted key.
 */
public class GenerateDemoEvidence {

    static final String REGISTRY = "registry.acme.example";
    static final Path ROOT = Path.of(".");

    public static void main(String[] args) throws Exception {
        KeyPair release = keyPair();
        KeyPair stranger = keyPair();
        Files.createDirectories(ROOT.resolve("keys"));
        Files.writeString(ROOT.resolve("keys/acme-release.pub"), pem(release));

        // payments-api: everything present and valid
        Image payments = image("acme/payments-api", "2.14.0", "2026-02-02T09:14:00Z");
        payments.write("sbom.cdx.json", cyclonedx(payments, List.of(
                component("org.springframework", "spring-core", "6.2.2", "Apache-2.0"),
                component("org.springframework", "spring-webmvc", "6.2.2", "Apache-2.0"),
                component("com.fasterxml.jackson.core", "jackson-databind", "2.18.2", "Apache-2.0"),
                component("org.postgresql", "postgresql", "42.7.4", "BSD-2-Clause"),
                component("ch.qos.logback", "logback-classic", "1.5.12", "EPL-1.0 OR LGPL-2.1-only"))));
        payments.write("trivy.json", trivy(payments, """
                {"VulnerabilityID":"CVE-2024-38809","PkgName":"org.springframework:spring-webmvc","PkgPath":"app/payments-api.jar","InstalledVersion":"6.2.2","FixedVersion":"6.2.3","Status":"fixed","Severity":"MEDIUM","Title":"spring-webmvc: ETag header parsing may lead to DoS","CVSS":{"ghsa":{"V3Vector":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L","V3Score":5.3}},"SeveritySource":"ghsa"},
                {"VulnerabilityID":"CVE-2023-45853","PkgName":"zlib1g","InstalledVersion":"1:1.2.13.dfsg-1","Status":"will_not_fix","Severity":"LOW","Title":"zlib: integer overflow in MiniZip","SeveritySource":"debian"}"""));
        payments.write("provenance.dsse.json", dsse(release, provenance(payments, "acme/payments-api", "9f2c41d7a8b3e56f1c0d92e4b7a6358c1d2e4f60", 13254817101L)));
        payments.write("signature.sig", cosign(release, payments, false));

        // ledger-service: everything present and valid, scanned by Grype
        Image ledger = image("acme/ledger-service", "5.3.1", "2026-02-03T15:40:00Z");
        ledger.write("sbom.cdx.json", cyclonedx(ledger, List.of(
                component("org.springframework", "spring-core", "6.2.2", "Apache-2.0"),
                component("org.flywaydb", "flyway-core", "11.1.0", "Apache-2.0"),
                component("org.jooq", "jooq", "3.19.16", "Apache-2.0"))));
        ledger.write("grype.json", grype(ledger));
        ledger.write("provenance.dsse.json", dsse(release, provenance(ledger, "acme/ledger-service", "2b7e9c0f14d6a3b58e1c7f02d94a6b3c5e8f1a27", 13261100422L)));
        ledger.write("signature.sig", cosign(release, ledger, false));

        // card-issuing-service: signed, but the payload was altered after signing
        Image cards = image("acme/card-issuing-service", "1.8.0", "2026-02-01T11:05:00Z");
        cards.write("sbom.cdx.json", cyclonedx(cards, List.of(
                component("io.netty", "netty-handler", "4.1.115.Final", "Apache-2.0"),
                component("org.bouncycastle", "bcprov-jdk18on", "1.79", "MIT"))));
        cards.write("trivy.sarif", sarif(cards));
        cards.write("signature.sig", cosign(release, cards, true));

        // identity-api: signed; its SBOM lists an AGPL component (the default license deny list)
        Image identity = image("acme/identity-api", "3.0.2", "2026-02-04T08:30:00Z");
        identity.write("sbom.cdx.json", cyclonedx(identity, List.of(
                component("org.springframework.security", "spring-security-core", "6.4.2", "Apache-2.0"),
                component("com.example.vendor", "pdf-renderer", "7.4.1", "AGPL-3.0-only"),
                component("com.nimbusds", "nimbus-jose-jwt", "9.47", "Apache-2.0"))));
        identity.write("signature.sig", cosign(release, identity, false));

        // fraud-scoring-service: signed by a key nobody trusts; SPDX SBOM
        Image fraud = image("acme/fraud-scoring-service", "0.9.7", "2026-01-30T17:20:00Z");
        fraud.write("sbom.spdx.json", spdx(fraud));
        fraud.write("signature.sig", cosign(stranger, fraud, false));

        // notification-service: scanned only; no signature, no SBOM
        Image notifications = image("acme/notification-service", "4.2.0", "2026-02-02T13:00:00Z");

        // Assay itself, as the platform team deploys it: its SBOM is the one Assay's own build writes
        // (target/assay-sbom.cdx.json, by the CycloneDX Maven plugin); the image digest is invented like the others
        Image assay = image("platform/assay", "0.1.0", "2026-02-05T07:00:00Z");
        Path own = ROOT.resolve("../../../target/assay-sbom.cdx.json");
        if (!Files.exists(own)) {
            throw new IllegalStateException("build Assay first (mvn package): " + own + " is Assay's own SBOM");
        }
        assay.write("assay-sbom.cdx.json", Files.readString(own));

        notifications.write("trivy.json", trivy(notifications, """
                {"VulnerabilityID":"CVE-2024-47554","PkgName":"commons-io:commons-io","PkgPath":"app/notification-service.jar","InstalledVersion":"2.11.0","FixedVersion":"2.14.0","Status":"fixed","Severity":"HIGH","Title":"apache-commons-io: possible denial of service attack on untrusted input to XmlStreamReader","CVSS":{"nvd":{"V3Vector":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H","V3Score":7.5}},"SeveritySource":"ghsa"}"""));
    }

    record Image(String name, String tag, String digest, String directory) {
        String repository() {
            return REGISTRY + "/" + name;
        }

        void write(String file, String content) throws IOException {
            Path folder = ROOT.resolve(directory);
            Files.createDirectories(folder);
            Files.writeString(folder.resolve(file), content);
        }
    }

    /** An OCI image manifest (kept beside the evidence as image.oci-manifest); its SHA-256 is the image's digest. */
    static Image image(String name, String tag, String created) throws Exception {
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"" + created + "\",\"config\":{\"Labels\":"
                + "{\"org.opencontainers.image.version\":\"" + tag + "\"}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + digest(("diff " + name).getBytes()) + "\"]}}";
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + digest(config.getBytes()) + "\",\"size\":"
                + config.length() + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\""
                + digest(("base " + name).getBytes()) + "\",\"size\":29150124},{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
                + "\"digest\":\"" + digest(("app " + name + tag).getBytes()) + "\",\"size\":48211377}],\"annotations\":{"
                + "\"org.opencontainers.image.created\":\"" + created + "\",\"org.opencontainers.image.version\":\"" + tag + "\"}}";
        String digest = digest(manifest.getBytes());
        Image image = new Image(name, tag, digest, REGISTRY + "/" + name + "/sha256-" + digest.substring(7));
        image.write("image.oci-manifest", manifest);
        return image;
    }

    static String component(String group, String name, String version, String license) {
        String licenses = license.contains(" ") ? "[{\"expression\":\"" + license + "\"}]" : "[{\"license\":{\"id\":\"" + license + "\"}}]";
        return "{\"type\":\"library\",\"bom-ref\":\"pkg:maven/" + group + "/" + name + "@" + version + "\",\"group\":\"" + group
                + "\",\"name\":\"" + name + "\",\"version\":\"" + version + "\",\"licenses\":" + licenses + ",\"purl\":\"pkg:maven/"
                + group + "/" + name + "@" + version + "\"}";
    }

    static String cyclonedx(Image image, List<String> components) {
        StringBuilder dependsOn = new StringBuilder();
        for (String c : components) {
            String ref = c.substring(c.indexOf("\"bom-ref\":\"") + 11, c.indexOf("\",\"group\""));
            dependsOn.append(dependsOn.length() == 0 ? "" : ",").append('"').append(ref).append('"');
        }
        return "{\n  \"bomFormat\": \"CycloneDX\",\n  \"specVersion\": \"1.6\",\n  \"serialNumber\": \"urn:uuid:"
                + java.util.UUID.nameUUIDFromBytes(image.digest().getBytes()) + "\",\n  \"version\": 1,\n  \"metadata\": {\n"
                + "    \"timestamp\": \"2026-02-04T10:00:00Z\",\n    \"tools\": {\"components\": [{\"type\": \"application\", \"author\": \"anchore\","
                + " \"name\": \"syft\", \"version\": \"1.18.1\"}]},\n    \"component\": {\"bom-ref\": \"image\", \"type\": \"container\", \"name\": \""
                + image.repository() + "\", \"version\": \"" + image.digest() + "\", \"purl\": \"pkg:oci/" + image.name().substring(5) + "@"
                + image.digest().replace(":", "%3A") + "?repository_url=" + image.repository().replace("/", "%2F") + "\"}\n  },\n"
                + "  \"components\": [\n    " + String.join(",\n    ", components) + "\n  ],\n  \"dependencies\": [{\"ref\": \"image\","
                + " \"dependsOn\": [" + dependsOn + "]}]\n}\n";
    }

    /** Trivy's JSON report as Trivy 0.38 wrote it (SchemaVersion 2, before CreatedAt existed). */
    static String trivy(Image image, String applicationVulnerabilities) {
        return "{\n  \"SchemaVersion\": 2,\n  \"ArtifactName\": \"" + image.repository() + ":" + image.tag() + "\",\n"
                + "  \"ArtifactType\": \"container_image\",\n  \"Metadata\": {\n    \"OS\": {\"Family\": \"debian\", \"Name\": \"12.9\"},\n"
                + "    \"RepoTags\": [\"" + image.repository() + ":" + image.tag() + "\"],\n    \"RepoDigests\": [\"" + image.repository()
                + "@" + image.digest() + "\"]\n  },\n  \"Results\": [\n    {\"Target\": \"" + image.repository() + ":" + image.tag()
                + " (debian 12.9)\", \"Class\": \"os-pkgs\", \"Type\": \"debian\"},\n    {\"Target\": \"Java\", \"Class\": \"lang-pkgs\","
                + " \"Type\": \"jar\", \"Vulnerabilities\": [\n" + applicationVulnerabilities + "\n    ]}\n  ]\n}\n";
    }

    static String grype(Image image) {
        return "{\n  \"matches\": [\n    {\"vulnerability\": {\"id\": \"GHSA-4g9r-vxhx-9pgx\", \"dataSource\": \"https://github.com/advisories/GHSA-4g9r-vxhx-9pgx\","
                + " \"namespace\": \"github:language:java\", \"severity\": \"Medium\", \"urls\": [], \"description\": \"jOOQ example advisory for the demo\","
                + " \"cvss\": [{\"version\": \"3.1\", \"vector\": \"CVSS:3.1/AV:N/AC:H/PR:L/UI:N/S:U/C:H/I:N/A:N\", \"metrics\": {\"baseScore\": 5.3}}],"
                + " \"fix\": {\"versions\": [\"3.19.18\"], \"state\": \"fixed\"}, \"advisories\": []},\n"
                + "     \"relatedVulnerabilities\": [], \"matchDetails\": [{\"type\": \"exact-direct-match\", \"matcher\": \"java-matcher\","
                + " \"searchedBy\": {\"language\": \"java\"}, \"found\": {\"versionConstraint\": \"<3.19.18\"}, \"fix\": {\"suggestedVersion\": \"3.19.18\"}}],\n"
                + "     \"artifact\": {\"id\": \"9a4bd2c3e1f07a65\", \"name\": \"jooq\", \"version\": \"3.19.16\", \"type\": \"java-archive\","
                + " \"locations\": [{\"path\": \"/app/ledger-service.jar\"}], \"language\": \"java\", \"licenses\": [\"Apache-2.0\"], \"cpes\": [],"
                + " \"purl\": \"pkg:maven/org.jooq/jooq@3.19.16\", \"upstreams\": []}}\n  ],\n  \"source\": {\"type\": \"image\", \"target\": {"
                + "\"userInput\": \"" + image.repository() + ":" + image.tag() + "\", \"manifestDigest\": \"" + image.digest() + "\", \"mediaType\": "
                + "\"application/vnd.oci.image.manifest.v1+json\", \"tags\": [\"" + image.repository() + ":" + image.tag() + "\"], \"repoDigests\": [\""
                + image.repository() + "@" + image.digest() + "\"]}},\n  \"distro\": {\"name\": \"debian\", \"version\": \"12\"},\n"
                + "  \"descriptor\": {\"name\": \"grype\", \"version\": \"0.79.0\"}\n}\n";
    }

    static String sarif(Image image) {
        return "{\n  \"version\": \"2.1.0\",\n  \"$schema\": \"https://raw.githubusercontent.com/oasis-tcs/sarif-spec/main/sarif-2.1/schema/sarif-schema-2.1.0.json\",\n"
                + "  \"runs\": [{\n    \"tool\": {\"driver\": {\"name\": \"Trivy\", \"informationUri\": \"https://github.com/aquasecurity/trivy\","
                + " \"fullName\": \"Trivy Vulnerability Scanner\", \"version\": \"0.50.1\", \"rules\": [{\"id\": \"CVE-2024-47535\", \"name\": \"LanguageSpecificPackageVulnerability\","
                + " \"shortDescription\": {\"text\": \"netty: denial of service on Windows via environment file read\"}, \"defaultConfiguration\": {\"level\": \"warning\"},"
                + " \"properties\": {\"security-severity\": \"5.5\", \"tags\": [\"vulnerability\", \"security\", \"MEDIUM\"]}}]}},\n"
                + "    \"results\": [{\"ruleId\": \"CVE-2024-47535\", \"ruleIndex\": 0, \"level\": \"warning\", \"message\": {\"text\": \"Package: io.netty:netty-handler\\n"
                + "Installed Version: 4.1.115.Final\\nVulnerability CVE-2024-47535\\nSeverity: MEDIUM\\nFixed Version: 4.1.118.Final\"},"
                + " \"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": \"app/card-issuing-service.jar\", \"uriBaseId\": \"ROOTPATH\"},"
                + " \"region\": {\"startLine\": 1}}}]}],\n    \"columnKind\": \"utf16CodeUnits\",\n    \"properties\": {\"imageName\": \""
                + image.repository() + ":" + image.tag() + "\", \"repoDigests\": [\"" + image.repository() + "@" + image.digest() + "\"]}\n  }]\n}\n";
    }

    static String spdx(Image image) {
        return "{\n  \"spdxVersion\": \"SPDX-2.3\",\n  \"dataLicense\": \"CC0-1.0\",\n  \"SPDXID\": \"SPDXRef-DOCUMENT\",\n  \"name\": \""
                + image.repository() + "\",\n  \"documentNamespace\": \"https://anchore.com/syft/image/" + image.name() + "-" + image.digest().substring(7, 19)
                + "\",\n  \"creationInfo\": {\"created\": \"2026-02-04T10:00:00Z\", \"creators\": [\"Organization: Anchore, Inc\", \"Tool: syft-1.18.1\"],"
                + " \"licenseListVersion\": \"3.25\"},\n  \"packages\": [\n    {\"name\": \"numpy\", \"SPDXID\": \"SPDXRef-Package-python-numpy\", \"versionInfo\": \"2.2.2\","
                + " \"downloadLocation\": \"NOASSERTION\", \"licenseConcluded\": \"BSD-3-Clause\", \"licenseDeclared\": \"BSD-3-Clause\", \"copyrightText\": \"NOASSERTION\","
                + " \"externalRefs\": [{\"referenceCategory\": \"PACKAGE-MANAGER\", \"referenceType\": \"purl\", \"referenceLocator\": \"pkg:pypi/numpy@2.2.2\"}]},\n"
                + "    {\"name\": \"scikit-learn\", \"SPDXID\": \"SPDXRef-Package-python-scikit-learn\", \"versionInfo\": \"1.6.1\", \"downloadLocation\": \"NOASSERTION\","
                + " \"licenseConcluded\": \"NOASSERTION\", \"licenseDeclared\": \"BSD-3-Clause\", \"copyrightText\": \"NOASSERTION\", \"externalRefs\": [{\"referenceCategory\":"
                + " \"PACKAGE-MANAGER\", \"referenceType\": \"purl\", \"referenceLocator\": \"pkg:pypi/scikit-learn@1.6.1\"}]}\n  ],\n  \"relationships\": [\n"
                + "    {\"spdxElementId\": \"SPDXRef-Package-python-scikit-learn\", \"relatedSpdxElement\": \"SPDXRef-Package-python-numpy\", \"relationshipType\": \"DEPENDS_ON\"},\n"
                + "    {\"spdxElementId\": \"SPDXRef-DOCUMENT\", \"relatedSpdxElement\": \"SPDXRef-Package-python-scikit-learn\", \"relationshipType\": \"DESCRIBES\"}\n  ]\n}\n";
    }

    static String provenance(Image image, String repository, String commit, long runId) {
        return "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"" + image.repository() + "\",\"digest\":{\"sha256\":\""
                + image.digest().substring(7) + "\"}}],\"predicateType\":\"https://slsa.dev/provenance/v1\",\"predicate\":{\"buildDefinition\":{"
                + "\"buildType\":\"https://actions.github.io/buildtypes/workflow/v1\",\"externalParameters\":{\"workflow\":{\"ref\":\"refs/heads/main\","
                + "\"repository\":\"https://github.com/" + repository + "\",\"path\":\".github/workflows/release.yml\"}},\"internalParameters\":{\"github\":{"
                + "\"event_name\":\"push\",\"runner_environment\":\"github-hosted\"}},\"resolvedDependencies\":[{\"uri\":\"git+https://github.com/"
                + repository + "@refs/heads/main\",\"digest\":{\"gitCommit\":\"" + commit + "\"}}]},\"runDetails\":{\"builder\":{\"id\":"
                + "\"https://github.com/actions/runner/github-hosted\"},\"metadata\":{\"invocationId\":\"https://github.com/" + repository
                + "/actions/runs/" + runId + "/attempts/1\"}}}}";
    }

    static String dsse(KeyPair key, String statement) throws Exception {
        String type = "application/vnd.in-toto+json";
        byte[] payload = statement.getBytes(StandardCharsets.UTF_8);
        byte[] pae = ("DSSEv1 " + type.length() + " " + type + " " + payload.length + " " + statement).getBytes(StandardCharsets.UTF_8);
        return "{\"payloadType\":\"" + type + "\",\"payload\":\"" + Base64.getEncoder().encodeToString(payload)
                + "\",\"signatures\":[{\"keyid\":\"\",\"sig\":\"" + sign(key.getPrivate(), pae) + "\"}]}\n";
    }

    /** The JSON of containers/image's "sigstore-json" signature form, without its binary header. */
    static String cosign(KeyPair key, Image image, boolean tamperAfterSigning) throws Exception {
        String payload = "{\"critical\":{\"identity\":{\"docker-reference\":\"" + image.repository() + "\"},\"image\":{\"docker-manifest-digest\":\""
                + image.digest() + "\"},\"type\":\"cosign container image signature\"},\"optional\":null}";
        String signature = sign(key.getPrivate(), payload.getBytes(StandardCharsets.UTF_8));
        String stored = tamperAfterSigning ? payload.replace("\"optional\":null", "\"optional\":{\"note\":\"re-tagged\"}") : payload;
        return "{\"mimeType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"payload\":\""
                + Base64.getEncoder().encodeToString(stored.getBytes(StandardCharsets.UTF_8)) + "\",\"annotations\":{\"dev.cosignproject.cosign/signature\":\""
                + signature + "\"}}\n";
    }

    static KeyPair keyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    static String sign(PrivateKey key, byte[] data) throws Exception {
        Signature signature = Signature.getInstance("SHA256withECDSA");
        signature.initSign(key);
        signature.update(data);
        return Base64.getEncoder().encodeToString(signature.sign());
    }

    static String pem(KeyPair pair) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    static String digest(byte[] bytes) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}

package dev.assay.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * CycloneDX 1.6 JSON SBOMs of the generated artifacts, shaped like Trivy's
 * ({@code trivy image --format cyclonedx}; fixtures/sbom/cyclonedx-1.6-trivy-fluentd-image…): the image
 * as {@code metadata.component} (type container, {@code pkg:oci} purl, {@code aquasecurity:trivy:RepoDigest}
 * property), one operating-system component, the Debian packages of {@link TrivyReports} and
 * {@link #JARS} Maven libraries with SPDX license ids, and the dependency graph (the image depends on
 * the OS and the jars, the OS on its packages, every package on nothing). Versions and licenses are
 * drawn from a random sequence seeded by the artifact's digest, so a document is the same on every run
 * and rendered when it is pushed. About one jar in 40 is AGPL-3.0-only, on Assay's default deny list.
 */
final class CycloneDxSboms {

    static final String[] DEBS = {"bash", "openssl", "libc6", "zlib1g", "curl", "libxml2", "tar", "gzip", "libssh2-1",
            "libgnutls30"};
    static final int JARS = 20;
    /** The OS component, its packages and the jars. */
    static final int COMPONENTS = 1 + DEBS.length + JARS;
    /** Edges: image → OS and jars, OS → packages. */
    static final int DEPENDENCY_EDGES = 1 + JARS + DEBS.length;
    private static final String[] GROUPS = {"org.springframework", "com.fasterxml.jackson.core", "org.apache.commons",
            "io.netty", "org.slf4j", "com.google.guava", "org.yaml", "ch.qos.logback"};
    private static final String[] LICENSES = {"Apache-2.0", "Apache-2.0", "MIT", "BSD-3-Clause", "EPL-2.0", "LGPL-2.1-only"};
    private static final Set<String> DENIED = Set.of("AGPL-3.0-only");

    /** One Maven library of an image. */
    record Jar(String group, String name, String version, String license) {

        String purl() {
            return "pkg:maven/" + group + "/" + name + "@" + version;
        }
    }

    private CycloneDxSboms() {
    }

    static List<Jar> jars(Organisation.ScannedArtifact artifact) {
        Random random = new Random(artifact.digest().hashCode());
        List<Jar> jars = new ArrayList<>();
        for (int j = 0; j < JARS; j++) {
            String group = GROUPS[j % GROUPS.length];
            String license = random.nextInt(40) == 0 ? "AGPL-3.0-only" : LICENSES[random.nextInt(LICENSES.length)];
            jars.add(new Jar(group, "lib-" + j, (1 + random.nextInt(6)) + "." + random.nextInt(20) + "." + random.nextInt(10),
                    license));
        }
        return jars;
    }

    /** Components whose license is on the default deny list. */
    static int licenseViolations(Organisation.ScannedArtifact artifact) {
        return (int) jars(artifact).stream().filter(j -> DENIED.contains(j.license())).count();
    }

    static String sbom(Organisation.ScannedArtifact artifact) {
        String repository = artifact.service().repository();
        String digest = artifact.digest();
        String encodedDigest = digest.replace(":", "%3A");
        String name = repository.substring(repository.lastIndexOf('/') + 1);
        String imageRef = UUID.nameUUIDFromBytes(("image:" + digest).getBytes(StandardCharsets.UTF_8)).toString();
        String osRef = UUID.nameUUIDFromBytes(("os:" + digest).getBytes(StandardCharsets.UTF_8)).toString();
        StringBuilder components = new StringBuilder();
        components.append("""
                    {"bom-ref": "%s", "type": "operating-system", "name": "debian", "version": "12.8",
                     "properties": [{"name": "aquasecurity:trivy:Class", "value": "os-pkgs"},
                       {"name": "aquasecurity:trivy:Type", "value": "debian"}]}""".formatted(osRef));
        List<String> debRefs = new ArrayList<>();
        for (int d = 0; d < DEBS.length; d++) {
            String version = "1." + (d % 7) + "-" + (d % 3 + 1);
            String purl = "pkg:deb/debian/" + DEBS[d] + "@" + version + "?arch=amd64&distro=debian-12.8";
            debRefs.add(purl);
            components.append(",\n").append("""
                    {"bom-ref": "%1$s", "type": "library", "name": "%2$s", "version": "%3$s",
                     "licenses": [{"license": {"id": "GPL-2.0-or-later"}}], "purl": "%1$s",
                     "properties": [{"name": "aquasecurity:trivy:LayerDigest", "value": "%4$s"},
                       {"name": "aquasecurity:trivy:PkgType", "value": "debian"},
                       {"name": "aquasecurity:trivy:SrcName", "value": "%2$s"},
                       {"name": "aquasecurity:trivy:SrcVersion", "value": "%3$s"}]}""".formatted(purl, DEBS[d], version, digest));
        }
        List<String> jarRefs = new ArrayList<>();
        for (Jar jar : jars(artifact)) {
            jarRefs.add(jar.purl());
            components.append(",\n").append("""
                    {"bom-ref": "%1$s", "type": "library", "group": "%2$s", "name": "%3$s", "version": "%4$s",
                     "licenses": [{"license": {"id": "%5$s"}}], "purl": "%1$s",
                     "properties": [{"name": "aquasecurity:trivy:FilePath", "value": "app/lib/%3$s-%4$s.jar"},
                       {"name": "aquasecurity:trivy:PkgType", "value": "jar"}]}"""
                    .formatted(jar.purl(), jar.group(), jar.name(), jar.version(), jar.license()));
        }
        StringBuilder dependencies = new StringBuilder();
        List<String> imageDepends = new ArrayList<>();
        imageDepends.add(osRef);
        imageDepends.addAll(jarRefs);
        dependencies.append(dependency(imageRef, imageDepends)).append(",\n").append(dependency(osRef, debRefs));
        debRefs.forEach(ref -> dependencies.append(",\n").append(dependency(ref, List.of())));
        jarRefs.forEach(ref -> dependencies.append(",\n").append(dependency(ref, List.of())));
        return """
                {
                  "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
                  "bomFormat": "CycloneDX",
                  "specVersion": "1.6",
                  "serialNumber": "urn:uuid:%1$s",
                  "version": 1,
                  "metadata": {
                    "timestamp": "%2$s",
                    "tools": {"components": [{"type": "application", "manufacturer": {"name": "Aqua Security Software Ltd."},
                      "group": "aquasecurity", "name": "trivy", "version": "0.58.1"}]},
                    "component": {
                      "bom-ref": "%3$s",
                      "type": "container",
                      "name": "%4$s",
                      "purl": "pkg:oci/%5$s@%6$s?repository_url=%7$s",
                      "properties": [
                        {"name": "aquasecurity:trivy:ImageID", "value": "%8$s"},
                        {"name": "aquasecurity:trivy:RepoDigest", "value": "%4$s@%8$s"},
                        {"name": "aquasecurity:trivy:RepoTag", "value": "%4$s:latest"},
                        {"name": "aquasecurity:trivy:SchemaVersion", "value": "2"}
                      ]
                    }
                  },
                  "components": [
                %9$s
                  ],
                  "dependencies": [
                %10$s
                  ],
                  "vulnerabilities": []
                }""".formatted(UUID.nameUUIDFromBytes(("sbom:" + digest).getBytes(StandardCharsets.UTF_8)),
                artifact.scannedAt(), imageRef, repository, name, encodedDigest,
                repository.replace("/", "%2F"), digest, components, dependencies);
    }

    private static String dependency(String ref, List<String> dependsOn) {
        StringBuilder json = new StringBuilder("    {\"ref\": \"").append(ref).append("\", \"dependsOn\": [");
        for (int i = 0; i < dependsOn.size(); i++) {
            json.append(i > 0 ? ", " : "").append('"').append(dependsOn.get(i)).append('"');
        }
        return json.append("]}").toString();
    }
}

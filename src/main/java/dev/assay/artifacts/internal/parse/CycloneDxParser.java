package dev.assay.artifacts.internal.parse;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.cyclonedx.exception.ParseException;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Dependency;
import org.cyclonedx.model.License;
import org.cyclonedx.model.LicenseChoice;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.Property;
import org.cyclonedx.model.Tool;
import org.cyclonedx.parsers.JsonParser;
import org.cyclonedx.parsers.XmlParser;

/**
 * CycloneDX 1.4–1.6 JSON and XML, read with the CycloneDX core library.
 * <p>
 * XML: a BOM never needs a document type declaration, so any {@code <!DOCTYPE} is refused before the
 * library sees the document. That shuts out external entities (XXE) and entity-expansion bombs
 * whatever the XML stack does; the library's own parser additionally forbids external DTD and schema
 * access (see {@code CycloneDxXxeTests}).
 */
public final class CycloneDxParser {

    private static final Pattern DOCTYPE = Pattern.compile("<!DOCTYPE", Pattern.CASE_INSENSITIVE);
    private static final Pattern ENTITY = Pattern.compile("<!ENTITY", Pattern.CASE_INSENSITIVE);

    public ParsedSbom parseJson(String document) {
        Bom bom;
        try {
            bom = new JsonParser().parse(document.getBytes(StandardCharsets.UTF_8));
        } catch (ParseException | RuntimeException e) {
            throw new IllegalArgumentException("not a readable CycloneDX JSON BOM: " + rootMessage(e));
        }
        return toSbom(bom, "cyclonedx-json");
    }

    public ParsedSbom parseXml(String document) {
        if (DOCTYPE.matcher(document).find() || ENTITY.matcher(document).find()) {
            throw new IllegalArgumentException("CycloneDX XML must not contain a document type declaration"
                    + " (<!DOCTYPE> / <!ENTITY>): refused, since entities can read local files or expand without bound");
        }
        Bom bom;
        try {
            bom = new XmlParser().parse(document.getBytes(StandardCharsets.UTF_8));
        } catch (ParseException | RuntimeException e) {
            throw new IllegalArgumentException("not a readable CycloneDX XML BOM: " + rootMessage(e));
        }
        return toSbom(bom, "cyclonedx-xml");
    }

    private static ParsedSbom toSbom(Bom bom, String format) {
        if (bom == null) {
            throw new IllegalArgumentException("the CycloneDX document is empty");
        }
        List<SbomComponentItem> components = new ArrayList<>();
        if (bom.getComponents() != null) {
            for (Component component : bom.getComponents()) {
                collect(component, components);
            }
        }
        int edges = 0;
        if (bom.getDependencies() != null) {
            for (Dependency dependency : bom.getDependencies()) {
                edges += dependency.getDependencies() == null ? 0 : dependency.getDependencies().size();
            }
        }
        Metadata metadata = bom.getMetadata();
        Instant created = metadata == null || metadata.getTimestamp() == null ? null : metadata.getTimestamp().toInstant();
        return new ParsedSbom(format, bom.getSpecVersion(), bom.getSerialNumber(), tool(metadata), created,
                namedArtifacts(metadata), components, edges);
    }

    private static void collect(Component component, List<SbomComponentItem> into) {
        if (component.getName() == null || component.getName().isBlank()) {
            throw new IllegalArgumentException("a CycloneDX component has no name (bom-ref "
                    + component.getBomRef() + ")");
        }
        into.add(new SbomComponentItem(component.getBomRef(), component.getName(), component.getVersion(),
                component.getPurl(), component.getType() == null ? null : component.getType().getTypeName(),
                licenses(component.getLicenses())));
        if (component.getComponents() != null) {
            for (Component nested : component.getComponents()) {
                collect(nested, into);
            }
        }
    }

    private static List<String> licenses(LicenseChoice choice) {
        List<String> licenses = new ArrayList<>();
        if (choice == null) {
            return licenses;
        }
        if (choice.getLicenses() != null) {
            for (License license : choice.getLicenses()) {
                if (license.getId() != null) {
                    licenses.add(license.getId());
                } else if (license.getName() != null) {
                    licenses.add(license.getName());
                }
            }
        }
        if (choice.getExpression() != null && choice.getExpression().getValue() != null) {
            licenses.add(choice.getExpression().getValue().strip());
        }
        return licenses;
    }

    private static String tool(Metadata metadata) {
        if (metadata == null) {
            return null;
        }
        if (metadata.getToolChoice() != null && metadata.getToolChoice().getComponents() != null) {
            for (Component tool : metadata.getToolChoice().getComponents()) {
                return tool.getVersion() == null ? tool.getName() : tool.getName() + " " + tool.getVersion();
            }
        }
        if (metadata.getTools() != null) {
            for (Tool tool : metadata.getTools()) {
                return tool.getVersion() == null ? tool.getName() : tool.getName() + " " + tool.getVersion();
            }
        }
        return null;
    }

    /**
     * What the BOM says it describes: Trivy writes {@code aquasecurity:trivy:RepoDigest} properties on
     * the container component; a {@code pkg:oci} purl names the digest and its repository_url.
     */
    private static List<ArtifactRef> namedArtifacts(Metadata metadata) {
        List<ArtifactRef> named = new ArrayList<>();
        if (metadata == null || metadata.getComponent() == null) {
            return named;
        }
        Component subject = metadata.getComponent();
        if (subject.getProperties() != null) {
            for (Property property : subject.getProperties()) {
                if ("aquasecurity:trivy:RepoDigest".equals(property.getName())) {
                    ArtifactRef.tryParse(property.getValue()).ifPresent(named::add);
                }
            }
        }
        ociPurl(subject.getPurl()).ifPresent(named::add);
        return named;
    }

    /** {@code pkg:oci/name@sha256%3A…?repository_url=registry.example.com%2Facme%2Fname} → repository@digest. */
    static java.util.Optional<ArtifactRef> ociPurl(String purl) {
        if (purl == null || !purl.toLowerCase(Locale.ROOT).startsWith("pkg:oci/")) {
            return java.util.Optional.empty();
        }
        int at = purl.indexOf('@');
        if (at < 0) {
            return java.util.Optional.empty();
        }
        int query = purl.indexOf('?', at);
        String digest = URLDecoder.decode(purl.substring(at + 1, query < 0 ? purl.length() : query), StandardCharsets.UTF_8);
        String repository = null;
        if (query >= 0) {
            for (String pair : purl.substring(query + 1).split("&")) {
                if (pair.startsWith("repository_url=")) {
                    repository = URLDecoder.decode(pair.substring("repository_url=".length()), StandardCharsets.UTF_8);
                }
            }
        }
        try {
            return java.util.Optional.of(new ArtifactRef(repository, digest));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        message = message.replaceAll("[\\r\\n\\t]+", " ");
        return message.length() > 400 ? message.substring(0, 397) + "..." : message;
    }
}

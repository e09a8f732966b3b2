package dev.assay.catalog.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.assay.catalog.internal.CatalogEntity.ComponentEntity;
import dev.assay.catalog.internal.CatalogEntity.GroupEntity;
import dev.assay.catalog.internal.CatalogEntity.OtherEntity;
import dev.assay.catalog.internal.CatalogEntity.SystemEntity;
import dev.assay.catalog.internal.CatalogEntity.UserEntity;
import dev.assay.collect.RecordRejectedException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Parses one Backstage catalog descriptor ({@code catalog-info.yaml} document) and validates what
 * Assay relies on: apiVersion, kind, metadata.name (Backstage's own name rule), entity references,
 * and the linking annotations of DESIGN §4.
 */
public class BackstageEntityParser {

    /** Backstage: strings of [a-z0-9A-Z] separated by [-_.], at most 63 characters. */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9]+([-_.][a-zA-Z0-9]+)*");
    private static final Pattern ENTITY_REF = Pattern.compile("(?:([a-zA-Z]+):)?(?:([^:/]+)/)?([^:/]+)");
    private static final Pattern TIER = Pattern.compile("(?i)(?:tier[-_ ]?)?([123])");
    private static final Pattern GITHUB_URL = Pattern.compile("(?i)^(?:url:)?https?://github\\.com/([^/]+)/([^/#?]+?)(?:\\.git)?(?:/.*)?$");
    private static final Set<String> OTHER_KINDS = Set.of("api", "resource", "domain", "location", "template");

    private final YAMLMapper yaml = YAMLMapper.builder().build();

    public CatalogEntity parse(String document) throws RecordRejectedException {
        JsonNode root;
        try {
            root = yaml.readTree(document);
        } catch (JacksonException e) {
            throw new RecordRejectedException("not valid YAML: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new RecordRejectedException("a catalog entity must be a YAML mapping");
        }
        String apiVersion = text(root, "apiVersion");
        if (apiVersion == null || !apiVersion.startsWith("backstage.io/")) {
            throw new RecordRejectedException("apiVersion must be backstage.io/v1alpha1 or v1beta1, was " + quoted(apiVersion));
        }
        String kind = text(root, "kind");
        if (kind == null) {
            throw new RecordRejectedException("kind is missing");
        }
        JsonNode metadata = root.path("metadata");
        String rawName = text(metadata, "name");
        if (rawName == null) {
            throw new RecordRejectedException(kind + " has no metadata.name");
        }
        if (rawName.length() > 63 || !NAME.matcher(rawName).matches()) {
            throw new RecordRejectedException("metadata.name " + quoted(rawName)
                    + " is not a valid Backstage name (letters and digits separated by - _ or ., at most 63 characters)");
        }
        String name = rawName.toLowerCase(Locale.ROOT);
        JsonNode spec = root.path("spec");
        return switch (kind.toLowerCase(Locale.ROOT)) {
            case "component" -> component(name, metadata, spec);
            case "group" -> new GroupEntity(name, title(metadata, spec), text(metadata, "description"),
                    ref(text(spec, "parent"), "group"), text(spec.path("profile"), "email"), refs(spec.path("members"), "user"));
            case "user" -> new UserEntity(name, text(spec.path("profile"), "displayName"),
                    text(spec.path("profile"), "email"), refs(spec.path("memberOf"), "group"));
            case "system" -> new SystemEntity(name, text(metadata, "title"), text(metadata, "description"),
                    ref(text(spec, "owner"), "group"));
            default -> {
                if (!OTHER_KINDS.contains(kind.toLowerCase(Locale.ROOT))) {
                    throw new RecordRejectedException("kind " + quoted(kind) + " is not a Backstage catalog kind");
                }
                yield new OtherEntity(kind, name);
            }
        };
    }

    private ComponentEntity component(String name, JsonNode metadata, JsonNode spec) throws RecordRejectedException {
        JsonNode annotations = metadata.path("annotations");
        Map<String, List<String>> links = new LinkedHashMap<>();
        addLink(links, "github", text(annotations, "github.com/project-slug"));
        addLink(links, "gitlab", text(annotations, "gitlab.com/project-slug"));
        addLink(links, "gitlab-id", text(annotations, "gitlab.com/project-id"));
        addLink(links, "jenkins", text(annotations, "jenkins.io/job-full-name"));
        addLink(links, "pagerduty", text(annotations, "pagerduty.com/service-id"));
        addLink(links, "opsgenie", text(annotations, "opsgenie.com/team"));
        addLink(links, "jira", text(annotations, "jira/project-key"));
        String sourceLocation = text(annotations, "backstage.io/source-location");
        if (sourceLocation != null) {
            String url = sourceLocation.replaceFirst("^url:", "").replaceFirst("/+$", "");
            addLink(links, "source-location", url);
            Matcher github = GITHUB_URL.matcher(sourceLocation);
            if (github.matches() && !links.containsKey("github")) {
                addLink(links, "github", github.group(1) + "/" + github.group(2));
            }
        }
        String images = text(annotations, "assay.dev/image-repositories");
        if (images != null) {
            for (String image : images.split(",")) {
                addLink(links, "oci", image.trim());
            }
        }
        String tierText = text(annotations, "assay.dev/tier");
        if (tierText == null) {
            tierText = text(metadata.path("labels"), "tier");
        }
        Integer tier = null;
        if (tierText != null) {
            Matcher matcher = TIER.matcher(tierText.trim());
            if (!matcher.matches()) {
                throw new RecordRejectedException("tier " + quoted(tierText) + " must be 1, 2 or 3 (assay.dev/tier)");
            }
            tier = Integer.valueOf(matcher.group(1));
        }
        String owner = text(spec, "owner");
        if (owner == null) {
            throw new RecordRejectedException("Component " + name + " has no spec.owner");
        }
        return new ComponentEntity(name, title(metadata, spec), text(metadata, "description"), text(spec, "type"), tier,
                text(spec, "lifecycle"), ref(owner, "group"), ref(text(spec, "system"), "system"),
                escalation(annotations, links), links);
    }

    /** The escalation path: an explicit contact, else the on-call rotation the service pages. */
    private static String escalation(JsonNode annotations, Map<String, List<String>> links) {
        String contact = text(annotations, "assay.dev/escalation-contact");
        if (contact != null) {
            return contact;
        }
        if (links.containsKey("pagerduty")) {
            return "PagerDuty service " + links.get("pagerduty").get(0);
        }
        if (links.containsKey("opsgenie")) {
            return "Opsgenie team " + links.get("opsgenie").get(0);
        }
        return null;
    }

    private static void addLink(Map<String, List<String>> links, String kind, String value) {
        if (value != null && !value.isBlank()) {
            links.computeIfAbsent(kind, k -> new ArrayList<>()).add(value.trim());
        }
    }

    /**
     * Resolves an entity reference ({@code [kind:][namespace/]name}) to a name. A reference to the
     * expected kind (or with no kind) gives the bare lower-case name; another kind keeps its prefix
     * ({@code user:alice}), so a user-owned component is not mistaken for a team-owned one.
     */
    static String ref(String reference, String defaultKind) throws RecordRejectedException {
        if (reference == null || reference.isBlank()) {
            return null;
        }
        Matcher matcher = ENTITY_REF.matcher(reference.trim());
        if (!matcher.matches()) {
            throw new RecordRejectedException("entity reference " + quoted(reference) + " is not [kind:][namespace/]name");
        }
        String kind = matcher.group(1) == null ? defaultKind : matcher.group(1).toLowerCase(Locale.ROOT);
        String name = matcher.group(3).toLowerCase(Locale.ROOT);
        return kind.equals(defaultKind) ? name : kind + ":" + name;
    }

    private static List<String> refs(JsonNode array, String defaultKind) throws RecordRejectedException {
        List<String> names = new ArrayList<>();
        if (array.isArray()) {
            for (JsonNode item : array) {
                String name = ref(item.asString(), defaultKind);
                if (name != null) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    private static String title(JsonNode metadata, JsonNode spec) {
        String title = text(metadata, "title");
        return title != null ? title : text(spec.path("profile"), "displayName");
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull() || value.isContainer()) {
            return null;
        }
        String text = value.asString().trim();
        return text.isEmpty() ? null : text;
    }

    private static String quoted(String value) {
        return value == null ? "(missing)" : "'" + value + "'";
    }
}

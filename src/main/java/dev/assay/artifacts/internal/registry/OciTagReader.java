package dev.assay.artifacts.internal.registry;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.infrastructure.item.ItemReader;

import dev.assay.artifacts.internal.OciRepositories;
import dev.assay.collect.Quarantine;
import dev.assay.collect.SourceDefinition;
import dev.assay.common.UntrustedJson;
import tools.jackson.databind.JsonNode;

/**
 * Lists what a registry source holds: its configured {@code repositories} (else the registry's
 * {@code /v2/_catalog}), and the tags of each, page by page along the {@code Link} header. The
 * tags cosign and the OCI referrers tag schema use for attached evidence are kept apart, for the
 * processor to find signatures in. A repository that cannot be listed goes to quarantine and the
 * others are still collected; a registry that refuses Assay altogether fails the job with the reason.
 */
class OciTagReader implements ItemReader<TagRef> {

    static final Pattern EVIDENCE_TAG = Pattern.compile("sha256-[0-9a-f]{64}(\\.sig|\\.att|\\.sbom)?");
    private static final Logger log = LoggerFactory.getLogger(OciTagReader.class);
    private static final int PAGE = 100;

    private final SourceDefinition source;
    private final RegistryClient client;
    private final Quarantine quarantine;
    private final UntrustedJson json;
    private final long jobExecutionId;
    private final int maxTags;
    private Deque<String> repositories;
    private final Deque<TagRef> pending = new ArrayDeque<>();

    OciTagReader(SourceDefinition source, RegistryClient client, Quarantine quarantine, UntrustedJson json, long jobExecutionId,
            int maxTags) {
        this.source = source;
        this.client = client;
        this.quarantine = quarantine;
        this.json = json;
        this.jobExecutionId = jobExecutionId;
        this.maxTags = maxTags;
    }

    @Override
    public TagRef read() {
        if (repositories == null) {
            client.ping();
            repositories = new ArrayDeque<>(repositories());
        }
        while (pending.isEmpty() && !repositories.isEmpty()) {
            enqueueTagsOf(repositories.poll());
        }
        return pending.poll();
    }

    private List<String> repositories() {
        List<String> configured = source.listOption("repositories");
        if (!configured.isEmpty()) {
            return configured.stream().map(OciRepositories::strip).toList();
        }
        List<String> names = new ArrayList<>();
        String next = "v2/_catalog?n=" + PAGE;
        while (next != null) {
            RegistryResponse page = client.get(next, "application/json", 8L * 1024 * 1024, "registry:catalog:*");
            JsonNode node = json.readTree(page.text());
            node.path("repositories").forEach(n -> names.add(n.asString()));
            next = page.nextLink().map(URI::toString).orElse(null);
        }
        return names;
    }

    private void enqueueTagsOf(String name) {
        String repository = OciRepositories.qualified(source, name);
        List<String> tags = new ArrayList<>();
        try {
            String next = "v2/" + name + "/tags/list?n=" + PAGE;
            while (next != null) {
                Optional<RegistryResponse> page = client.getIfPresent(next, "application/json", 8L * 1024 * 1024,
                        "repository:" + name + ":pull");
                if (page.isEmpty()) {
                    quarantine.hold(source.id(), "oci-repository", repository, null,
                            "the registry does not know repository " + name + " (404 on tags/list)", jobExecutionId);
                    return;
                }
                JsonNode node = json.readTree(page.get().text());
                if (!node.path("tags").isArray() && !node.path("tags").isNull() && !node.path("tags").isMissingNode()) {
                    throw new IllegalArgumentException("tags/list answered without a tags list");
                }
                node.path("tags").forEach(t -> tags.add(t.asString()));
                next = page.get().nextLink().map(URI::toString).orElse(null);
            }
        } catch (RegistryException | IllegalArgumentException e) {
            quarantine.hold(source.id(), "oci-repository", repository, null, "cannot list the tags of " + name + ": "
                    + e.getMessage(), jobExecutionId);
            return;
        }
        Set<String> evidence = new LinkedHashSet<>();
        List<String> images = new ArrayList<>();
        for (String tag : tags) {
            (EVIDENCE_TAG.matcher(tag).matches() ? evidence : images).add(tag);
        }
        if (images.size() > maxTags) {
            log.warn("{}: {} has {} tags; collecting the last {} listed (assay.artifacts.max-tags-per-repository)", source.id(),
                    repository, images.size(), maxTags);
            images = images.subList(images.size() - maxTags, images.size());
        }
        Set<String> frozen = Set.copyOf(evidence);
        for (String tag : images) {
            pending.add(new TagRef(name, repository, tag, frozen));
        }
    }
}

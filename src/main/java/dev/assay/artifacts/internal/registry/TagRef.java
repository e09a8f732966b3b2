package dev.assay.artifacts.internal.registry;

import java.util.Set;

/**
 * One tag of a repository to collect.
 *
 * @param name         the repository's name in the registry API ({@code acme/payments-api})
 * @param repository   the same qualified by the registry host, as the catalog writes it
 * @param evidenceTags the repository's cosign tags ({@code sha256-<hex>.sig} …) and referrers-tag-schema tags
 */
public record TagRef(String name, String repository, String tag, Set<String> evidenceTags) {

    public String location() {
        return repository + ":" + tag;
    }
}

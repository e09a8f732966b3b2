package dev.assay.artifacts.internal.parse;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An artifact named as {@code <repository>@<digest>}, e.g.
 * {@code registry.example.com/acme/payments-api@sha256:…}. The repository is written as in the
 * catalog's {@code assay.dev/image-repositories} annotation: registry host (with port), then the
 * OCI repository name. The repository may be null when a document names only a digest.
 */
public record ArtifactRef(String repository, String digest) {

    /** OCI image-spec digest grammar, restricted to the registered algorithms with their exact lengths. */
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128}");
    /** distribution reference grammar: an optional host[:port], then path components of the name. */
    private static final Pattern REPOSITORY = Pattern.compile(
            "(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]{1,5})?/)?"
                    + "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
    private static final Pattern REFERENCE = Pattern.compile("(.+)@([a-z0-9]+:[0-9a-fA-F]+)");

    public ArtifactRef {
        if (digest == null || !DIGEST.matcher(digest).matches()) {
            throw new IllegalArgumentException("'" + digest + "' is not a digest: expected sha256: followed by 64 lower-case"
                    + " hex digits (or sha512: and 128)");
        }
        if (repository != null && (repository.length() > 255 || !REPOSITORY.matcher(repository).matches())) {
            throw new IllegalArgumentException("'" + repository + "' is not a repository name such as"
                    + " registry.example.com/acme/payments-api");
        }
    }

    /**
     * Parses {@code <repository>@<digest>}.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static ArtifactRef parse(String reference) {
        if (reference == null || reference.isBlank()) {
            throw new IllegalArgumentException("the artifact is missing: name it as <repository>@sha256:<hex>");
        }
        Matcher m = REFERENCE.matcher(reference.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("artifact '" + abbreviate(reference) + "' must be <repository>@sha256:<hex>,"
                    + " e.g. registry.example.com/acme/payments-api@sha256:" + "0".repeat(64));
        }
        String repository = m.group(1);
        int tag = repository.lastIndexOf(':');
        // "repo:tag@sha256:…" (a pinned tag, as docker prints it): the tag is dropped, the digest names the artifact
        if (tag > repository.lastIndexOf('/')) {
            repository = repository.substring(0, tag);
        }
        return new ArtifactRef(repository, m.group(2));
    }

    /** Like {@link #parse} but empty for text that is not a reference (used on what documents say about themselves). */
    public static Optional<ArtifactRef> tryParse(String reference) {
        try {
            return Optional.of(parse(reference));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public static boolean isDigest(String text) {
        return text != null && DIGEST.matcher(text).matches();
    }

    public String hex() {
        return digest.substring(digest.indexOf(':') + 1);
    }

    @Override
    public String toString() {
        return repository == null ? digest : repository + "@" + digest;
    }

    private static String abbreviate(String text) {
        return text.length() > 120 ? text.substring(0, 117) + "..." : text;
    }
}

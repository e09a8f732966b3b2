package dev.assay.builds;

import static dev.assay.builds.internal.db.Tables.PIPELINE_RUN;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Whether a CI run someone names was collected by Assay. A reference matches a stored run when:
 * <ul>
 * <li>its URL, without a trailing {@code /attempts/<n>} (GitHub) or slash, equals the run's URL
 * (scheme and host compared case-insensitively); or</li>
 * <li>its repository, reduced to the path Assay stores ({@code owner/name}, a GitLab project path, a
 * Jenkins job: scheme, host, {@code git+}, {@code .git} and an {@code @ref} suffix removed), equals the
 * run's repository case-insensitively, and its commit equals the run's commit (or is a prefix of it
 * of at least 7 hex digits).</li>
 * </ul>
 * Only completed successful runs count: a provenance document naming a failed run is not evidence
 * of a build that produced the artifact.
 */
@Service
@Transactional(readOnly = true)
public class KnownRuns {

    private static final Pattern ATTEMPT_SUFFIX = Pattern.compile("/attempts/\\d+/?$");
    /** {@code git@github.com:acme/api.git} */
    private static final Pattern SSH = Pattern.compile("^[\\w.-]+@[\\w.-]+:(?!//)(.+)$");
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{7,64}");

    private final DSLContext db;

    KnownRuns(DSLContext db) {
        this.db = db;
    }

    /**
     * The references (of those given) that name a collected, successful run, as Assay knew them at
     * {@code asOf}: the run's stored record (completed, successful) had been written by then
     * ({@code updated_at <= asOf}), so a run collected later, or completed only later, does not count.
     */
    public Set<RunReference> known(Collection<RunReference> references, Instant asOf) {
        Condition known = successful().and(PIPELINE_RUN.UPDATED_AT.le(asOf.atOffset(ZoneOffset.UTC)));
        Set<RunReference> found = new LinkedHashSet<>();
        for (RunReference reference : references) {
            if (byUrl(reference.url(), known) || byRepositoryAndCommit(reference.repository(), reference.commit(), known)) {
                found.add(reference);
            }
        }
        return found;
    }

    private boolean byUrl(String url, Condition known) {
        String normal = normalUrl(url);
        if (normal == null) {
            return false;
        }
        return db.fetchExists(PIPELINE_RUN, PIPELINE_RUN.URL.in(normal, normal + "/").and(known));
    }

    private boolean byRepositoryAndCommit(String repository, String commit, Condition known) {
        String path = repositoryPath(repository);
        if (path == null || commit == null || !HEX.matcher(commit.strip()).matches()) {
            return false;
        }
        String sha = commit.strip().toLowerCase(Locale.ROOT);
        var commitMatches = sha.length() == 40 || sha.length() == 64 ? PIPELINE_RUN.COMMIT_SHA.eq(sha)
                : PIPELINE_RUN.COMMIT_SHA.startsWith(sha);
        return db.fetchExists(PIPELINE_RUN, commitMatches.and(PIPELINE_RUN.REPOSITORY.lower().eq(path)).and(known));
    }

    private static Condition successful() {
        return PIPELINE_RUN.STATUS.eq("completed").and(PIPELINE_RUN.CONCLUSION.eq("success"));
    }

    static String normalUrl(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        try {
            URI uri = URI.create(url.strip());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return null;
            }
            String path = ATTEMPT_SUFFIX.matcher(uri.getRawPath() == null ? "" : uri.getRawPath()).replaceFirst("");
            path = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
            return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost().toLowerCase(Locale.ROOT)
                    + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + path;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String repositoryPath(String repository) {
        if (repository == null || repository.isBlank()) {
            return null;
        }
        String text = repository.strip().replaceFirst("^git\\+", "");
        var ssh = SSH.matcher(text);
        if (ssh.matches()) {
            text = ssh.group(1);
        } else {
            text = text.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://[^/]+/", "");
        }
        int at = text.indexOf('@');
        text = (at >= 0 ? text.substring(0, at) : text).replaceAll("/+$", "").replaceFirst("\\.git$", "");
        return text.isBlank() ? null : text.toLowerCase(Locale.ROOT);
    }
}

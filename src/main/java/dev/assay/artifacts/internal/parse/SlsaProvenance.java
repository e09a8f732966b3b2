package dev.assay.artifacts.internal.parse;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/**
 * The facts of a SLSA provenance predicate that link an artifact to the build that made it.
 *
 * @param slsaVersion      {@code 0.2} or {@code 1}
 * @param sourceRepository normalised to a URL without {@code git+}, ref or {@code .git}
 * @param runUrl           the CI run, where the provenance names or implies it
 */
public record SlsaProvenance(String slsaVersion, String builderId, String buildType, String sourceRepository,
        String sourceRef, String sourceCommit, String runUrl, String invocationId) {

    public static final String V02 = "https://slsa.dev/provenance/v0.2";
    public static final String V1 = "https://slsa.dev/provenance/v1";

    private static final Pattern GIT_URI = Pattern.compile("(?:git\\+)?(https?://[^@]+?)(?:\\.git)?(?:@(.+))?");

    public static Optional<SlsaProvenance> from(InTotoStatement statement) {
        JsonNode p = statement.predicate();
        if (p == null) {
            return Optional.empty();
        }
        if (V02.equals(statement.predicateType())) {
            return Optional.of(v02(p));
        }
        if (V1.equals(statement.predicateType())) {
            return Optional.of(v1(p));
        }
        return Optional.empty();
    }

    /** v0.2: builder.id, buildType, invocation.configSource (uri + digest), metadata.buildInvocationId. */
    private static SlsaProvenance v02(JsonNode p) {
        String uri = Json.text(p, "invocation", "configSource", "uri");
        String commit = Json.text(p, "invocation", "configSource", "digest", "sha1");
        if (commit == null) {
            commit = Json.text(p, "invocation", "configSource", "digest", "gitCommit");
        }
        if (uri == null) {
            for (JsonNode material : Json.array(p, "materials")) {
                if (uri == null && Json.text(material, "uri") != null && Json.text(material, "uri").startsWith("git+")) {
                    uri = Json.text(material, "uri");
                    commit = commit != null ? commit : Json.text(material, "digest", "sha1");
                }
            }
        }
        JsonNode env = Json.at(p, "invocation", "environment");
        String invocationId = Json.text(p, "metadata", "buildInvocationId");
        String runUrl = isUrl(invocationId) ? invocationId : ciRunUrl(env);
        return new SlsaProvenance("0.2", Json.text(p, "builder", "id"), Json.text(p, "buildType"), repository(uri),
                ref(uri), commit != null ? commit : Json.text(env, "GITHUB_SHA"), runUrl, invocationId);
    }

    /**
     * v1: runDetails.builder.id, buildDefinition.buildType, the git dependency among resolvedDependencies
     * (or the workflow in externalParameters), runDetails.metadata.invocationId.
     */
    private static SlsaProvenance v1(JsonNode p) {
        String uri = null;
        String commit = null;
        for (JsonNode dependency : Json.array(p, "buildDefinition", "resolvedDependencies")) {
            String candidate = Json.text(dependency, "uri");
            if (uri == null && candidate != null && candidate.startsWith("git+")) {
                uri = candidate;
                commit = Json.text(dependency, "digest", "gitCommit");
                commit = commit != null ? commit : Json.text(dependency, "digest", "sha1");
            }
        }
        JsonNode internal = Json.at(p, "buildDefinition", "internalParameters");
        if (uri == null) {
            String repository = Json.text(p, "buildDefinition", "externalParameters", "workflow", "repository");
            String ref = Json.text(p, "buildDefinition", "externalParameters", "workflow", "ref");
            if (repository != null) {
                uri = ref == null ? repository : repository + "@" + ref;
            } else if (Json.text(internal, "GITHUB_REPOSITORY") != null) {
                String ghRef = Json.text(internal, "GITHUB_REF");
                uri = "https://github.com/" + Json.text(internal, "GITHUB_REPOSITORY") + (ghRef == null ? "" : "@" + ghRef);
            }
        }
        if (commit == null) {
            commit = Json.text(internal, "GITHUB_SHA");
        }
        String invocationId = Json.text(p, "runDetails", "metadata", "invocationId");
        String runUrl = isUrl(invocationId) ? invocationId : ciRunUrl(internal);
        return new SlsaProvenance("1", Json.text(p, "runDetails", "builder", "id"), Json.text(p, "buildDefinition", "buildType"),
                repository(uri), ref(uri), commit, runUrl, invocationId);
    }

    /**
     * A run URL from the CI's own variables when the provenance carries them: GitHub Actions
     * ({@code GITHUB_REPOSITORY}, {@code GITHUB_RUN_ID}, {@code GITHUB_RUN_ATTEMPT}, on
     * {@code GITHUB_SERVER_URL} or github.com) and GitLab CI ({@code CI_JOB_URL} / {@code CI_PIPELINE_URL}).
     */
    private static String ciRunUrl(JsonNode env) {
        if (env == null) {
            return null;
        }
        String repository = Json.text(env, "GITHUB_REPOSITORY");
        String runId = Json.text(env, "GITHUB_RUN_ID");
        if (repository != null && runId != null && runId.matches("[0-9]+")) {
            String server = Json.text(env, "GITHUB_SERVER_URL");
            String attempt = Json.text(env, "GITHUB_RUN_ATTEMPT");
            return (server == null ? "https://github.com" : server) + "/" + repository + "/actions/runs/" + runId
                    + (attempt != null && attempt.matches("[0-9]+") ? "/attempts/" + attempt : "");
        }
        String gitlab = Json.text(env, "CI_PIPELINE_URL");
        return isUrl(gitlab) ? gitlab : isUrl(Json.text(env, "CI_JOB_URL")) ? Json.text(env, "CI_JOB_URL") : null;
    }

    private static boolean isUrl(String text) {
        return text != null && (text.startsWith("https://") || text.startsWith("http://"));
    }

    static String repository(String uri) {
        if (uri == null) {
            return null;
        }
        Matcher m = GIT_URI.matcher(uri);
        return m.matches() ? m.group(1) : uri;
    }

    static String ref(String uri) {
        if (uri == null) {
            return null;
        }
        Matcher m = GIT_URI.matcher(uri);
        return m.matches() ? m.group(2) : null;
    }
}

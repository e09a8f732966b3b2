package dev.assay.builds.internal;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.assay.collect.RecordRejectedException;
import tools.jackson.databind.JsonNode;

/**
 * A Jenkins build ({@code /job/<name>/<n>/api/json}, or an item of a job's {@code builds}) to a
 * {@link PipelineRun}. {@code timestamp} is the start (epoch milliseconds), {@code duration} the
 * length in milliseconds (0 while building). The commit is {@code lastBuiltRevision.SHA1} of the git
 * plugin's build data, else the last commit of the {@code changeSets}; the branch is the branch job's
 * name in a multibranch project, else the built revision's branch without its remote prefix.
 */
public final class JenkinsBuildMapper {

    public static final String SYSTEM = "jenkins";
    private static final Map<String, String> RESULTS = Map.of("SUCCESS", "success", "FAILURE", "failure", "ABORTED",
            "cancelled", "UNSTABLE", "unstable", "NOT_BUILT", "skipped");

    private JenkinsBuildMapper() {
    }

    /**
     * @param job      where the build was found: its full name ({@code folder/job}), and for a branch of
     *                 a multibranch project the project's full name and the branch; null to take the
     *                 job from the build's {@code url}
     */
    public static PipelineRun map(String sourceId, JsonNode build, JenkinsJob job) throws RecordRejectedException {
        if (build == null || !build.isObject()) {
            throw new RecordRejectedException("a Jenkins build must be a JSON object");
        }
        Long number = Json.number(build, "number");
        if (number == null) {
            throw new RecordRejectedException("the Jenkins build has no number");
        }
        String url = Json.text(build, "url");
        JenkinsJob where = job != null ? job : JenkinsJob.fromBuildUrl(url);
        if (where == null) {
            throw new RecordRejectedException("Jenkins build #" + number + " has no url naming its job");
        }
        Long timestamp = Json.number(build, "timestamp");
        if (timestamp == null) {
            throw new RecordRejectedException("Jenkins build " + where.fullName() + " #" + number + " has no timestamp");
        }
        Instant started = Instant.ofEpochMilli(timestamp);
        boolean building = build.path("building").asBoolean(false);
        String result = Json.text(build, "result");
        String conclusion = null;
        String status;
        if (building) {
            status = PipelineRun.IN_PROGRESS;
        } else if (result == null) {
            status = PipelineRun.QUEUED;
        } else {
            conclusion = RESULTS.get(result.toUpperCase(Locale.ROOT));
            if (conclusion == null) {
                throw new RecordRejectedException("Jenkins build " + where.fullName() + " #" + number + " has result '"
                        + result + "', not one of " + RESULTS.keySet().stream().sorted().toList());
            }
            status = PipelineRun.COMPLETED;
        }
        Long durationMs = Json.number(build, "duration");
        boolean completed = PipelineRun.COMPLETED.equals(status);
        Instant finished = completed && durationMs != null ? started.plusMillis(durationMs) : null;
        Long duration = completed && durationMs != null ? Math.round(durationMs / 1000.0) : null;
        JsonNode revision = lastBuiltRevision(build);
        String sha = Json.text(revision, "SHA1");
        if (sha == null) {
            sha = lastChangeSetCommit(build);
        }
        String branch = where.branch();
        if (branch == null && revision != null && revision.path("branch").isArray() && !revision.path("branch").isEmpty()) {
            branch = stripRemote(Json.text(revision.path("branch").get(0), "name"));
        }
        JsonNode cause = firstCause(build);
        List<ServiceLink> links = new ArrayList<>();
        links.add(new ServiceLink("jenkins", where.fullName()));
        if (where.multibranchProject() != null) {
            links.add(new ServiceLink("jenkins", where.multibranchProject()));
        }
        String actor = Json.text(cause, "userId");
        if (actor == null) {
            actor = Json.text(cause, "userName");
        }
        return new PipelineRun(sourceId, SYSTEM, Json.cut(where.fullName(), 500), Json.cut(where.fullName(), 500),
                where.fullName() + "#" + number, 1, number, Json.cut(sha, 64), Json.cut(branch, 500), trigger(cause), status,
                building ? "BUILDING" : result, conclusion, started, started, finished, duration, Json.cut(url, 2000),
                Json.cut(actor, 300), null, links);
    }

    private static JsonNode lastBuiltRevision(JsonNode build) {
        for (JsonNode action : build.path("actions")) {
            if (action.path("lastBuiltRevision").isObject()) {
                return action.path("lastBuiltRevision");
            }
        }
        return null;
    }

    private static String lastChangeSetCommit(JsonNode build) {
        String last = null;
        for (JsonNode changeSet : build.path("changeSets")) {
            for (JsonNode item : changeSet.path("items")) {
                String id = Json.text(item, "commitId");
                if (id != null) {
                    last = id;
                }
            }
        }
        return last;
    }

    private static JsonNode firstCause(JsonNode build) {
        for (JsonNode action : build.path("actions")) {
            if (action.path("causes").isArray() && !action.path("causes").isEmpty()) {
                return action.path("causes").get(0);
            }
        }
        return null;
    }

    /** A cause to an event word: the cause's class where Jenkins sends it, else what its fields say. */
    static String trigger(JsonNode cause) {
        if (cause == null) {
            return null;
        }
        String type = Json.text(cause, "_class");
        if (type != null) {
            if (type.contains("UserIdCause") || type.contains("UserCause")) {
                return "manual";
            }
            if (type.contains("TimerTrigger")) {
                return "schedule";
            }
            if (type.contains("SCMTrigger") || type.contains("Push") || type.contains("BranchEventCause")
                    || type.contains("BranchIndexingCause")) {
                return "push";
            }
            if (type.contains("UpstreamCause")) {
                return "upstream";
            }
            if (type.contains("PullRequest") || type.contains("MergeRequest")) {
                return "pull_request";
            }
            return "other";
        }
        return Json.text(cause, "userName") != null || Json.text(cause, "userId") != null ? "manual" : "other";
    }

    private static String stripRemote(String branch) {
        if (branch == null) {
            return null;
        }
        String name = branch.startsWith("refs/remotes/") ? branch.substring("refs/remotes/".length()) : branch;
        int slash = name.indexOf('/');
        return name.startsWith("origin/") && slash > 0 ? name.substring(slash + 1) : name;
    }

    /**
     * Where a build belongs.
     *
     * @param multibranchProject the multibranch project a branch job belongs to, else null
     * @param branch             the branch of that branch job, else null
     */
    public record JenkinsJob(String fullName, String multibranchProject, String branch) {

        /** {@code http://jenkins/job/a/job/b/10/} to the job {@code a/b}. */
        static JenkinsJob fromBuildUrl(String url) {
            if (url == null) {
                return null;
            }
            String path;
            try {
                path = URI.create(url).getRawPath();
            } catch (IllegalArgumentException e) {
                return null;
            }
            if (path == null) {
                return null;
            }
            List<String> names = new ArrayList<>();
            String[] parts = path.split("/");
            for (int i = 0; i + 1 < parts.length; i++) {
                if (parts[i].equals("job")) {
                    names.add(URLDecoder.decode(parts[i + 1], StandardCharsets.UTF_8));
                }
            }
            return names.isEmpty() ? null : new JenkinsJob(String.join("/", names), null, null);
        }
    }
}

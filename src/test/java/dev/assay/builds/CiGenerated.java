package dev.assay.builds;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Generated CI answers in the real formats (the shapes of the samples in fixtures/ci), for
 * multi-page and fault scenarios. Run i of a generator is created {@code i} minutes after {@code start}
 * and lasts {@code 60 + i} seconds.
 */
public final class CiGenerated {

    private CiGenerated() {
    }

    /** GitHub workflow runs of {@code owner/name}, ids {@code 1000 + i}, completed successfully. */
    public static List<String> githubRuns(String repository, int from, int to, Instant start) {
        List<String> runs = new ArrayList<>();
        for (int i = from; i < to; i++) {
            runs.add(githubRun(repository, 1000 + i, start.plusSeconds(60L * i), 60 + i, "completed", "success"));
        }
        return runs;
    }

    public static String githubRun(String repository, long id, Instant created, long durationS, String status, String conclusion) {
        Instant updated = created.plusSeconds(durationS);
        return """
                {"id": %d, "name": "Build", "head_branch": "main", "head_sha": "%040x", "path": ".github/workflows/build.yml@main",
                 "run_number": %d, "event": "push", "status": "%s", "conclusion": %s, "workflow_id": 159038,
                 "html_url": "https://github.com/%s/actions/runs/%d", "created_at": "%s", "updated_at": "%s",
                 "run_attempt": 1, "run_started_at": "%s", "actor": {"login": "octocat"},
                 "triggering_actor": {"login": "octocat"}, "repository": {"full_name": "%s"}}"""
                .formatted(id, id, id, status, conclusion == null ? "null" : "\"" + conclusion + "\"", repository, id, created,
                        updated, created, repository);
    }

    public static String githubPage(List<String> runs, int total) {
        return "{\"total_count\": " + total + ", \"workflow_runs\": [" + String.join(",", runs) + "]}";
    }

    /** GitLab pipelines (list items) of project 21, ids {@code 500 + i}, success. */
    public static String gitlabListItem(long id, Instant created, Instant updated, String status) {
        return """
                {"id": %d, "iid": %d, "project_id": 21, "status": "%s", "source": "push", "ref": "main",
                 "sha": "%040x", "name": "Build pipeline", "web_url": "https://gitlab.example/test-group/test-project/-/pipelines/%d",
                 "created_at": "%s", "updated_at": "%s"}""".formatted(id, id - 400, status, id, id, created, updated);
    }

    /** A pending pipeline of project 1 ({@code foo/bar}), as the list answers it. */
    public static String gitlabPending(long id, Instant created) {
        return """
                {"id": %d, "iid": %d, "project_id": 1, "status": "pending", "source": "push", "ref": "main",
                 "sha": "%040x", "name": "Build pipeline", "web_url": "https://example.com/foo/bar/pipelines/%d",
                 "created_at": "%s", "updated_at": "%s"}""".formatted(id, id, id, id, created, created.plusSeconds(1));
    }

    public static String gitlabDetail(long id, Instant created, long durationS) {
        Instant started = created.plusSeconds(5);
        Instant finished = started.plusSeconds(durationS);
        return """
                {"id": %d, "iid": %d, "project_id": 21, "name": "Build pipeline", "sha": "%040x", "ref": "main",
                 "status": "success", "source": "push", "created_at": "%s", "updated_at": "%s",
                 "web_url": "https://gitlab.example/test-group/test-project/-/pipelines/%d", "user": {"username": "root"},
                 "started_at": "%s", "finished_at": "%s", "duration": %d, "queued_duration": 5}"""
                .formatted(id, id - 400, id, created, finished, id, started, finished, durationS);
    }

    /** A Jenkins build as a job's {@code builds} item asked with Assay's tree. */
    public static String jenkinsBuild(String jobUrl, long number, Instant start, long durationMs, String result, boolean building) {
        return """
                {"_class": "org.jenkinsci.plugins.workflow.job.WorkflowRun", "number": %d, "result": %s,
                 "timestamp": %d, "duration": %d, "url": "%s%d/", "building": %s,
                 "actions": [{"_class": "hudson.model.CauseAction", "causes": [{"_class": "hudson.triggers.SCMTrigger$SCMTriggerCause",
                   "shortDescription": "Started by an SCM change"}]},
                  {"_class": "hudson.plugins.git.util.BuildData", "lastBuiltRevision": {"SHA1": "%040x",
                   "branch": [{"name": "refs/remotes/origin/main"}]}}],
                 "changeSets": []}""".formatted(number, result == null ? "null" : "\"" + result + "\"", start.toEpochMilli(),
                durationMs, jobUrl, number, building, number);
    }
}

package dev.assay.builds.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.assay.collect.RecordRejectedException;
import tools.jackson.databind.JsonNode;

/**
 * A GitHub Actions workflow run ({@code GET /repos/{owner}/{repo}/actions/runs} items, the
 * {@code workflow_run} of a webhook) to a {@link PipelineRun}. GitHub reports no duration in the run:
 * a completed run lasted from {@code run_started_at} (the start of this attempt) to
 * {@code updated_at} (its completion), which is what GitHub's own run page shows.
 */
public final class GitHubRunMapper {

    public static final String SYSTEM = "github-actions";
    private static final Map<String, String> STATUSES = Map.of("completed", PipelineRun.COMPLETED, "in_progress",
            PipelineRun.IN_PROGRESS, "queued", PipelineRun.QUEUED, "requested", PipelineRun.QUEUED, "waiting",
            PipelineRun.QUEUED, "pending", PipelineRun.QUEUED, "action_required", PipelineRun.QUEUED);

    private GitHubRunMapper() {
    }

    /**
     * @param repository the {@code owner/name} the run was listed under, or null to take the run's own
     *                   {@code repository.full_name}
     */
    public static PipelineRun map(String sourceId, JsonNode run, String repository) throws RecordRejectedException {
        if (run == null || !run.isObject()) {
            throw new RecordRejectedException("a GitHub workflow run must be a JSON object");
        }
        Long id = Json.number(run, "id");
        if (id == null) {
            throw new RecordRejectedException("the GitHub workflow run has no numeric id");
        }
        String repo = repository != null ? repository : Json.text(run, "repository", "full_name");
        if (repo == null) {
            throw new RecordRejectedException("GitHub workflow run " + id + " names no repository.full_name");
        }
        String upstreamStatus = Json.text(run, "status");
        String status = upstreamStatus == null ? null : STATUSES.get(upstreamStatus.toLowerCase(Locale.ROOT));
        if (status == null) {
            throw new RecordRejectedException("GitHub workflow run " + id + " has status '" + upstreamStatus
                    + "', not one of " + STATUSES.keySet().stream().sorted().toList());
        }
        Instant created = Timestamps.parse(Json.text(run, "created_at"), "created_at");
        if (created == null) {
            throw new RecordRejectedException("GitHub workflow run " + id + " has no created_at");
        }
        Instant updated = Timestamps.parse(Json.text(run, "updated_at"), "updated_at");
        Instant started = Timestamps.parse(Json.text(run, "run_started_at"), "run_started_at");
        if (started == null) {
            started = created;
        }
        boolean completed = PipelineRun.COMPLETED.equals(status);
        Instant finished = completed ? updated : null;
        Long duration = finished == null || finished.isBefore(started) ? null : Duration.between(started, finished).toSeconds();
        Long attempt = Json.number(run, "run_attempt");
        String actor = Json.text(run, "triggering_actor", "login");
        if (actor == null) {
            actor = Json.text(run, "actor", "login");
        }
        String workflow = Json.text(run, "name");
        if (workflow == null) {
            workflow = Json.text(run, "path");
        }
        return new PipelineRun(sourceId, SYSTEM, repo, Json.cut(workflow, 500), String.valueOf(id),
                attempt == null ? 1 : attempt.intValue(), Json.number(run, "run_number"), Json.cut(Json.text(run, "head_sha"), 64),
                Json.cut(Json.text(run, "head_branch"), 500), Json.cut(Json.text(run, "event"), 100), status, upstreamStatus,
                completed ? conclusion(Json.text(run, "conclusion")) : null, created, started, finished, duration,
                Json.cut(Json.text(run, "html_url"), 2000), Json.cut(actor, 300), updated,
                List.of(new ServiceLink("github", repo)));
    }

    private static String conclusion(String conclusion) {
        return conclusion == null ? null : conclusion.toLowerCase(Locale.ROOT);
    }
}

package dev.assay.builds.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.assay.collect.RecordRejectedException;
import tools.jackson.databind.JsonNode;

/**
 * A GitLab pipeline ({@code GET /projects/:id/pipelines} items or {@code GET /projects/:id/pipelines/:id})
 * to a {@link PipelineRun}. The list items lack {@code started_at}, {@code finished_at} and
 * {@code duration}; the collector reads the single pipeline where it needs them. GitLab retries
 * jobs inside the same pipeline, so every pipeline is attempt 1.
 */
public final class GitLabPipelineMapper {

    public static final String SYSTEM = "gitlab-ci";
    private static final Map<String, String> STATUSES = Map.ofEntries(Map.entry("created", PipelineRun.QUEUED),
            Map.entry("waiting_for_resource", PipelineRun.QUEUED), Map.entry("preparing", PipelineRun.QUEUED),
            Map.entry("waiting_for_callback", PipelineRun.QUEUED), Map.entry("pending", PipelineRun.QUEUED),
            Map.entry("scheduled", PipelineRun.QUEUED), Map.entry("manual", PipelineRun.QUEUED),
            Map.entry("running", PipelineRun.IN_PROGRESS), Map.entry("canceling", PipelineRun.IN_PROGRESS),
            Map.entry("success", PipelineRun.COMPLETED), Map.entry("failed", PipelineRun.COMPLETED),
            Map.entry("canceled", PipelineRun.COMPLETED), Map.entry("skipped", PipelineRun.COMPLETED));
    private static final Map<String, String> CONCLUSIONS = Map.of("success", "success", "failed", "failure", "canceled",
            "cancelled", "skipped", "skipped");

    private GitLabPipelineMapper() {
    }

    /**
     * @param project the project as configured ({@code group/name} or a numeric id), or null to take
     *                it from the pipeline's {@code web_url}
     */
    public static PipelineRun map(String sourceId, JsonNode pipeline, String project) throws RecordRejectedException {
        if (pipeline == null || !pipeline.isObject()) {
            throw new RecordRejectedException("a GitLab pipeline must be a JSON object");
        }
        Long id = Json.number(pipeline, "id");
        if (id == null) {
            throw new RecordRejectedException("the GitLab pipeline has no numeric id");
        }
        Long projectId = Json.number(pipeline, "project_id");
        String webUrl = Json.text(pipeline, "web_url");
        String path = projectPath(webUrl);
        if (project != null && !project.matches("\\d+")) {
            path = project;
        } else if (project != null && projectId == null) {
            projectId = Long.parseLong(project);
        }
        if (path == null && projectId == null) {
            throw new RecordRejectedException("GitLab pipeline " + id + " names neither its project_id nor a web_url");
        }
        String upstreamStatus = Json.text(pipeline, "status");
        String status = upstreamStatus == null ? null : STATUSES.get(upstreamStatus.toLowerCase(Locale.ROOT));
        if (status == null) {
            throw new RecordRejectedException("GitLab pipeline " + id + " has status '" + upstreamStatus + "', not one of "
                    + STATUSES.keySet().stream().sorted().toList());
        }
        Instant created = Timestamps.parse(Json.text(pipeline, "created_at"), "created_at");
        if (created == null) {
            throw new RecordRejectedException("GitLab pipeline " + id + " has no created_at");
        }
        Instant started = Timestamps.parse(Json.text(pipeline, "started_at"), "started_at");
        Instant finished = Timestamps.parse(Json.text(pipeline, "finished_at"), "finished_at");
        boolean completed = PipelineRun.COMPLETED.equals(status);
        Long duration = Json.number(pipeline, "duration");
        if (duration == null && completed && started != null && finished != null && !finished.isBefore(started)) {
            duration = Duration.between(started, finished).toSeconds();
        }
        List<ServiceLink> links = new ArrayList<>();
        if (path != null) {
            links.add(new ServiceLink("gitlab", path));
        }
        if (projectId != null) {
            links.add(new ServiceLink("gitlab-id", String.valueOf(projectId)));
        }
        String actor = Json.text(pipeline, "user", "username");
        return new PipelineRun(sourceId, SYSTEM, path != null ? path : String.valueOf(projectId),
                Json.cut(Json.text(pipeline, "name"), 500), String.valueOf(id), 1, Json.number(pipeline, "iid"),
                Json.cut(Json.text(pipeline, "sha"), 64), Json.cut(Json.text(pipeline, "ref"), 500),
                Json.cut(Json.text(pipeline, "source"), 100), status, upstreamStatus,
                completed ? CONCLUSIONS.get(upstreamStatus.toLowerCase(Locale.ROOT)) : null, created, started,
                completed ? finished : null, completed ? duration : null, Json.cut(webUrl, 2000), Json.cut(actor, 300),
                Timestamps.parse(Json.text(pipeline, "updated_at"), "updated_at"), links);
    }

    /** {@code https://gitlab.example/group/sub/project/-/pipelines/287} to {@code group/sub/project}. */
    static String projectPath(String webUrl) {
        if (webUrl == null) {
            return null;
        }
        try {
            String path = java.net.URI.create(webUrl).getPath();
            int cut = path.indexOf("/-/pipelines/");
            if (cut < 0) {
                cut = path.lastIndexOf("/pipelines/");
            }
            if (cut <= 0) {
                return null;
            }
            return path.substring(1, cut);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

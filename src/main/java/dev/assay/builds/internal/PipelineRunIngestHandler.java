package dev.assay.builds.internal;

import java.util.Locale;
import java.util.Set;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.assay.collect.RecordRejectedException;
import dev.assay.collect.ingest.IngestHandler;
import dev.assay.collect.ingest.IngestRequest;
import dev.assay.common.UntrustedJson;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/v1/ingest/pipeline-run}: one run pushed by a CI system, mapped by the collectors'
 * mappers. The format is {@code ?format=github-actions|gitlab-ci|jenkins} or detected:
 * <ul>
 * <li>GitHub Actions: a workflow run object, or a {@code workflow_run} webhook ({@code {"workflow_run": {...}}});</li>
 * <li>GitLab CI: a pipeline object ({@code GET /projects/:id/pipelines/:id}), or a pipeline webhook
 * ({@code {"object_kind": "pipeline", "object_attributes": {...}, "project": {...}}});</li>
 * <li>Jenkins: a build object ({@code /job/<name>/<n>/api/json}); its job is read from its {@code url}.</li>
 * </ul>
 * Pushed runs belong to the source {@code ingest:<format>}.
 */
@Component
class PipelineRunIngestHandler implements IngestHandler {

    static final Set<String> FORMATS = Set.of(GitHubRunMapper.SYSTEM, GitLabPipelineMapper.SYSTEM, JenkinsBuildMapper.SYSTEM);

    private final UntrustedJson json;
    private final RunRecorder recorder;

    PipelineRunIngestHandler(UntrustedJson json, RunRecorder recorder) {
        this.json = json;
        this.recorder = recorder;
    }

    @Override
    public String kind() {
        return "pipeline-run";
    }

    @Override
    @Transactional
    public String ingest(IngestRequest request) throws RecordRejectedException {
        JsonNode doc;
        try {
            doc = json.readTree(request.body());
        } catch (IllegalArgumentException e) {
            throw new RecordRejectedException("the document is " + e.getMessage());
        }
        if (!doc.isObject()) {
            throw new RecordRejectedException("a pipeline run must be a JSON object");
        }
        String format = request.format() == null || request.format().isBlank() ? detect(doc)
                : request.format().strip().toLowerCase(Locale.ROOT);
        if (!FORMATS.contains(format)) {
            throw new RecordRejectedException("format '" + format + "' is not one of " + FORMATS.stream().sorted().toList());
        }
        String source = "ingest:" + format;
        PipelineRun run = switch (format) {
            case GitHubRunMapper.SYSTEM -> GitHubRunMapper.map(source,
                    doc.path("workflow_run").isObject() ? doc.path("workflow_run") : doc, null);
            case GitLabPipelineMapper.SYSTEM -> GitLabPipelineMapper.map(source, gitlabPipeline(doc), null);
            default -> JenkinsBuildMapper.map(source, doc, null);
        };
        RunStore.Stored stored = recorder.record(run, recorder.lookup());
        return String.valueOf(stored.id());
    }

    /** A webhook's {@code object_attributes} with its project's path and id, or the pipeline object itself. */
    private static JsonNode gitlabPipeline(JsonNode doc) {
        if (!doc.path("object_attributes").isObject()) {
            return doc;
        }
        var pipeline = ((tools.jackson.databind.node.ObjectNode) doc.path("object_attributes")).deepCopy();
        JsonNode project = doc.path("project");
        if (!pipeline.has("project_id") && project.path("id").isIntegralNumber()) {
            pipeline.set("project_id", project.path("id"));
        }
        if (!pipeline.has("web_url") && project.path("web_url").isString() && pipeline.path("id").isIntegralNumber()) {
            pipeline.put("web_url", project.path("web_url").asString() + "/-/pipelines/" + pipeline.path("id").asString());
        }
        if (!pipeline.has("user") && doc.path("user").isObject()) {
            pipeline.set("user", doc.path("user"));
        }
        return pipeline;
    }

    static String detect(JsonNode doc) throws RecordRejectedException {
        if (doc.path("workflow_run").isObject() || doc.has("run_attempt") || doc.has("workflow_id")) {
            return GitHubRunMapper.SYSTEM;
        }
        if (doc.path("object_kind").isString() && "pipeline".equals(doc.path("object_kind").asString()) || doc.has("project_id") && doc.has("sha")
                && doc.has("ref")) {
            return GitLabPipelineMapper.SYSTEM;
        }
        if (doc.has("number") && doc.has("timestamp") && (doc.has("building") || doc.has("result"))) {
            return JenkinsBuildMapper.SYSTEM;
        }
        throw new RecordRejectedException("the document is not a GitHub workflow run, a GitLab pipeline or a Jenkins build;"
                + " name the format with ?format=github-actions|gitlab-ci|jenkins");
    }
}

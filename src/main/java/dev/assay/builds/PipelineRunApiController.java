package dev.assay.builds;

import java.time.Instant;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.assay.common.ApiController;
import dev.assay.common.CsvNegotiation;
import dev.assay.common.PageRequest;

/**
 * {@code GET /api/v1/pipeline-runs} (paged, newest first; filters {@code team}, {@code service},
 * {@code source}, {@code status} (a status or a conclusion), {@code branch}; CSV with {@code .csv} or
 * {@code Accept: text/csv}).
 */
@ApiController
class PipelineRunApiController {

    private final PipelineRuns runs;

    PipelineRunApiController(PipelineRuns runs) {
        this.runs = runs;
    }

    @GetMapping({"/api/v1/pipeline-runs", "/api/v1/pipeline-runs.csv"})
    ResponseEntity<?> list(@RequestParam(required = false) String team, @RequestParam(required = false) String service,
            @RequestParam(required = false) String source, @RequestParam(required = false) String status,
            @RequestParam(required = false) String branch, @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size, HttpServletRequest request) {
        PipelineRunFilter filter = new PipelineRunFilter(PipelineRunFilter.blankToNull(team),
                PipelineRunFilter.blankToNull(service), PipelineRunFilter.blankToNull(source),
                PipelineRunFilter.blankToNull(status), PipelineRunFilter.blankToNull(branch), null);
        var result = runs.list(filter, PageRequest.of(page, size));
        if (CsvNegotiation.wantsCsv(request)) {
            return CsvNegotiation.csv("pipeline-runs",
                    List.of("id", "source", "system", "repository", "workflow", "external_id", "attempt", "run_number",
                            "commit_sha", "branch", "trigger_event", "status", "conclusion", "created_at", "started_at",
                            "finished_at", "duration_s", "url", "actor", "services", "anomaly"),
                    result.items(), r -> List.of(r.id(), r.source(), r.system(), r.repository(), nz(r.workflow()),
                            r.externalId(), r.attempt(), r.runNumber() == null ? "" : r.runNumber(), nz(r.commitSha()),
                            nz(r.branch()), nz(r.triggerEvent()), r.status(), nz(r.conclusion()), time(r.createdAt()),
                            time(r.startedAt()), time(r.finishedAt()), r.durationS() == null ? "" : r.durationS(),
                            nz(r.url()), nz(r.actor()), String.join(" ", r.services()), r.anomaly()));
        }
        return ResponseEntity.ok(result);
    }

    private static String nz(String value) {
        return value == null ? "" : value;
    }

    private static String time(Instant value) {
        return value == null ? "" : value.toString();
    }
}

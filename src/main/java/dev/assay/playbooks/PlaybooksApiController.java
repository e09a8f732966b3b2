package dev.assay.playbooks;

import java.time.Instant;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.assay.common.ApiController;
import dev.assay.common.CsvNegotiation;
import dev.assay.common.PageRequest;
import dev.assay.common.PageResult;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** {@code GET /api/v1/runbooks} and {@code /api/v1/drills}: paged, filterable, with CSV variants. */
@ApiController
class PlaybooksApiController {

    private final Runbooks runbooks;
    private final Drills drills;

    PlaybooksApiController(Runbooks runbooks, Drills drills) {
        this.runbooks = runbooks;
        this.drills = drills;
    }

    /** A runbook in the API: snake_case like every API answer. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record RunbookItem(long id, String slug, String title, List<String> services, List<String> teams,
            List<String> incidentTypes, int currentVersion, int reviewIntervalDays, Instant lastReviewedAt,
            Instant reviewDueAt, boolean stale, Instant updatedAt, String sourceId) {

        static RunbookItem of(RunbookSummary r) {
            return new RunbookItem(r.id(), r.slug(), r.title(), r.services(), r.teams(), r.incidentTypes(),
                    r.currentVersion(), r.reviewIntervalDays(), r.lastReviewedAt(), r.reviewDueAt(), r.stale(),
                    r.updatedAt(), r.sourceId());
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record DrillItem(long id, long runbookId, String runbook, int runbookVersion, String kind, String status,
            String outcome, List<String> services, List<String> teams, Instant createdAt, Instant startedAt,
            Instant finishedAt, Long elapsedS, int steps, int stepsCompleted, int stepsSkipped) {

        static DrillItem of(DrillSummary d) {
            Long elapsed = d.startedAt() != null && d.finishedAt() != null
                    ? java.time.Duration.between(d.startedAt(), d.finishedAt()).getSeconds() : null;
            return new DrillItem(d.id(), d.runbookId(), d.runbookSlug(), d.runbookVersion(), d.kind(), d.status(),
                    d.outcome(), d.services(), d.teams(), d.createdAt(), d.startedAt(), d.finishedAt(), elapsed, d.steps(),
                    d.stepsCompleted(), d.stepsSkipped());
        }
    }

    @GetMapping({"/api/v1/runbooks", "/api/v1/runbooks.csv"})
    ResponseEntity<?> runbooks(@RequestParam(required = false) String team, @RequestParam(required = false) String service,
            @RequestParam(required = false) String source, @RequestParam(required = false) Boolean stale,
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size,
            HttpServletRequest request) {
        PageResult<RunbookItem> result = runbooks.list(team, service, source, stale, PageRequest.of(page, size))
                .map(RunbookItem::of);
        if (CsvNegotiation.wantsCsv(request)) {
            return CsvNegotiation.csv("runbooks",
                    List.of("id", "slug", "title", "services", "teams", "incident_types", "current_version",
                            "review_interval_days", "last_reviewed_at", "review_due_at", "stale", "updated_at", "source_id"),
                    result.items(), r -> List.of(r.id(), r.slug(), r.title(), String.join(" ", r.services()),
                            String.join(" ", r.teams()), String.join(" ", r.incidentTypes()), r.currentVersion(),
                            r.reviewIntervalDays(), text(r.lastReviewedAt()), text(r.reviewDueAt()), r.stale(),
                            text(r.updatedAt()), r.sourceId() == null ? "" : r.sourceId()));
        }
        return ResponseEntity.ok(result);
    }

    @GetMapping({"/api/v1/drills", "/api/v1/drills.csv"})
    ResponseEntity<?> drills(@RequestParam(required = false) String team, @RequestParam(required = false) String service,
            @RequestParam(required = false) String runbook, @RequestParam(required = false) String status,
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size,
            HttpServletRequest request) {
        PageResult<DrillItem> result = drills.list(team, service, runbook, status, PageRequest.of(page, size))
                .map(DrillItem::of);
        if (CsvNegotiation.wantsCsv(request)) {
            return CsvNegotiation.csv("drills",
                    List.of("id", "runbook", "runbook_version", "kind", "status", "outcome", "services", "teams",
                            "created_at", "started_at", "finished_at", "elapsed_s", "steps", "steps_completed",
                            "steps_skipped"),
                    result.items(), d -> List.of(d.id(), d.runbook(), d.runbookVersion(), d.kind(), d.status(),
                            d.outcome() == null ? "" : d.outcome(), String.join(" ", d.services()),
                            String.join(" ", d.teams()), text(d.createdAt()), text(d.startedAt()), text(d.finishedAt()),
                            d.elapsedS() == null ? "" : d.elapsedS(), d.steps(), d.stepsCompleted(), d.stepsSkipped()));
        }
        return ResponseEntity.ok(result);
    }

    @ExceptionHandler(PlaybookNotFoundException.class)
    ProblemDetail notFound(PlaybookNotFoundException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }

    private static String text(Instant instant) {
        return instant == null ? "" : instant.toString();
    }
}

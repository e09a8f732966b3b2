package dev.assay.collect;

import java.net.URI;
import java.security.Principal;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

import dev.assay.common.ApiController;
import dev.assay.common.CsvNegotiation;
import dev.assay.common.PageRequest;

/** Sources, collection jobs and quarantine over HTTP (DESIGN §4). */
@ApiController
class CollectApiController {

    private final Sources sources;
    private final CollectionLauncher launcher;
    private final JobExecutions executions;
    private final Quarantine quarantine;

    CollectApiController(Sources sources, CollectionLauncher launcher, JobExecutions executions, Quarantine quarantine) {
        this.sources = sources;
        this.launcher = launcher;
        this.executions = executions;
        this.quarantine = quarantine;
    }

    /** The configured sources; the credential itself is never shown, only the variable that holds it. */
    @GetMapping("/api/v1/sources")
    List<Map<String, Object>> sources() {
        return sources.all().stream().map(s -> Map.<String, Object>of(
                "id", s.id(), "type", s.type(), "schedule", s.schedule() == null ? "" : s.schedule(),
                "collectable", launcher.hasType(s.type()), "running", launcher.isRunning(s.id()))).toList();
    }

    @PostMapping("/api/v1/sources/{id}/collect")
    ResponseEntity<Map<String, Object>> collect(@PathVariable String id, Principal principal) {
        long executionId = launcher.launch(id, principal.getName());
        return ResponseEntity.accepted()
                .location(URI.create("/api/v1/jobs/" + executionId))
                .body(Map.of("execution_id", executionId, "source_id", id, "status", "STARTING"));
    }

    @GetMapping("/api/v1/jobs/{executionId}")
    JobStatus job(@PathVariable long executionId) {
        return executions.find(executionId).orElseThrow(
                () -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No job execution " + executionId));
    }

    @GetMapping({"/api/v1/quarantine", "/api/v1/quarantine.csv"})
    ResponseEntity<?> quarantine(@RequestParam(required = false) String source,
            @RequestParam(required = false) String status, @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size, HttpServletRequest request) {
        var result = quarantine.list(source, status, PageRequest.of(page, size));
        if (CsvNegotiation.wantsCsv(request)) {
            return CsvNegotiation.csv("quarantine",
                    List.of("id", "source_id", "kind", "location", "reason", "status", "times_seen", "first_seen_at",
                            "last_seen_at", "payload_size", "payload_truncated"),
                    result.items(), q -> List.of(q.id(), q.sourceId(), q.kind(), q.location(), q.reason(), q.status(),
                            q.timesSeen(), q.firstSeenAt(), q.lastSeenAt(), q.payloadSize(), q.payloadTruncated()));
        }
        return ResponseEntity.ok(result);
    }

    @ExceptionHandler(UnknownSourceException.class)
    ProblemDetail unknownSource(UnknownSourceException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(CollectionAlreadyRunningException.class)
    ProblemDetail alreadyRunning(CollectionAlreadyRunningException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }

    @ExceptionHandler(CollectionUnavailableException.class)
    ProblemDetail unavailable(CollectionUnavailableException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_IMPLEMENTED, e.getMessage());
    }
}

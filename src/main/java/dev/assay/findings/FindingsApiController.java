package dev.assay.findings;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;

import dev.assay.common.ApiController;
import dev.assay.common.CsvNegotiation;
import dev.assay.common.PageRequest;
import dev.assay.common.PageResult;
import dev.assay.findings.internal.FindingAccess;
import dev.assay.findings.internal.FindingAccess.UserAccess;
import dev.assay.findings.internal.FindingConflictException;
import dev.assay.findings.internal.FindingDetail;
import dev.assay.findings.internal.FindingForbiddenException;
import dev.assay.findings.internal.FindingNotFoundException;
import dev.assay.findings.internal.FindingRow;
import dev.assay.findings.internal.FindingSearch;
import dev.assay.findings.internal.FindingWorkflow;
import dev.assay.findings.internal.RiskAcceptanceExpiry;

/**
 * {@code GET /api/v1/findings} (paged {@code {"items","total","page","size"}}, the filters of the
 * pages: team, service, severity, status, source, due, assignee, sort; all statuses unless
 * {@code ?status=} says otherwise; CSV with {@code .csv} or {@code Accept: text/csv}) and
 * {@code GET /api/v1/findings/{id}} (with its reports, history and risk acceptances).
 */
@ApiController
class FindingsApiController {

    private final FindingAccess access;
    private final FindingSearch search;
    private final FindingWorkflow workflow;
    private final RiskAcceptanceExpiry expiry;

    FindingsApiController(FindingAccess access, FindingSearch search, FindingWorkflow workflow, RiskAcceptanceExpiry expiry) {
        this.access = access;
        this.search = search;
        this.workflow = workflow;
        this.expiry = expiry;
    }

    @GetMapping({"/api/v1/findings", "/api/v1/findings.csv"})
    ResponseEntity<?> list(@ModelAttribute FindingParams params, Authentication user, HttpServletRequest request) {
        if (FindingParams.blank(params.after()) != null) {
            throw new IllegalArgumentException("the API pages with ?page=&size=; 'after' is for the pages' keyset links");
        }
        expiry.expireDue();
        UserAccess me = access.of(user);
        PageResult<FindingRow> result = search.page(me, params.toFilter(null, false), params.toSort(),
                PageRequest.of(params.page(), params.size()));
        if (CsvNegotiation.wantsCsv(request)) {
            return CsvNegotiation.csv("findings", FindingCsv.HEADER, result.items(), FindingCsv::row);
        }
        return ResponseEntity.ok(result.map(FindingItem::of));
    }

    @GetMapping("/api/v1/findings/{id:\\d+}")
    Map<String, Object> finding(@PathVariable long id, Authentication user) {
        expiry.expireDue();
        FindingDetail detail = workflow.detail(access.of(user), id);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("finding", FindingItem.of(detail.finding()));
        answer.put("detail", detail.detail());
        answer.put("reports", detail.reports().stream().map(r -> {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("artifact_digest", r.artifactDigest());
            report.put("scanner", r.scanner());
            report.put("scan_id", r.scanId());
            report.put("severity", r.severity());
            report.put("cvss_score", r.cvssScore());
            report.put("cvss_vector", r.cvssVector());
            report.put("fixed_version", r.fixedVersion());
            report.put("first_seen_at", r.firstSeenAt().toString());
            report.put("seen_at", r.seenAt().toString());
            report.put("still_reported", r.stillReported());
            report.put("dropped_at", r.droppedAt() == null ? null : r.droppedAt().toString());
            return report;
        }).toList());
        answer.put("history", detail.history().stream().map(e -> {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("occurred_at", e.occurredAt().toString());
            event.put("actor", e.actor());
            event.put("action", e.action());
            event.put("from_status", e.fromStatus());
            event.put("to_status", e.toStatus());
            event.put("detail", e.detail());
            return event;
        }).toList());
        answer.put("risk_acceptances", detail.acceptances().stream().map(a -> {
            Map<String, Object> acceptance = new LinkedHashMap<>();
            acceptance.put("id", a.id());
            acceptance.put("status", a.status());
            acceptance.put("justification", a.justification());
            acceptance.put("expires_at", a.expiresAt().toString());
            acceptance.put("requested_by", a.requestedBy());
            acceptance.put("requested_at", a.requestedAt().toString());
            acceptance.put("decided_by", a.decidedBy());
            acceptance.put("decided_at", a.decidedAt() == null ? null : a.decidedAt().toString());
            return acceptance;
        }).toList());
        return answer;
    }

    @ExceptionHandler(FindingNotFoundException.class)
    ProblemDetail notFound(FindingNotFoundException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(FindingForbiddenException.class)
    ProblemDetail forbidden(FindingForbiddenException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, e.getMessage());
    }

    @ExceptionHandler(FindingConflictException.class)
    ProblemDetail conflict(FindingConflictException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badInput(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }
}

package dev.assay.findings;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.servlet.ModelAndView;

import dev.assay.findings.internal.FindingConflictException;
import dev.assay.findings.internal.FindingForbiddenException;
import dev.assay.findings.internal.FindingNotFoundException;

/**
 * How the findings pages say no: the HTTP status that fits (404, 403, 409, 400) and a page that
 * says why, with a way back.
 */
@ControllerAdvice(assignableTypes = {FindingsPageController.class, RemediationQueueController.class,
        RiskApprovalsController.class, SlaPolicyController.class})
class FindingPageErrors {

    @ExceptionHandler(FindingNotFoundException.class)
    ModelAndView notFound(FindingNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage());
    }

    @ExceptionHandler(FindingForbiddenException.class)
    ModelAndView forbidden(FindingForbiddenException e) {
        return problem(HttpStatus.FORBIDDEN, "Not allowed", e.getMessage());
    }

    @ExceptionHandler(FindingConflictException.class)
    ModelAndView conflict(FindingConflictException e) {
        return problem(HttpStatus.CONFLICT, "Not possible now", e.getMessage());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ModelAndView badInput(IllegalArgumentException e) {
        return problem(HttpStatus.BAD_REQUEST, "Check your input", e.getMessage());
    }

    private static ModelAndView problem(HttpStatus status, String title, String message) {
        ModelAndView page = new ModelAndView("findings/problem");
        page.setStatus(status);
        page.addObject("status", status.value());
        page.addObject("problemTitle", title);
        page.addObject("problem", message);
        return page;
    }
}

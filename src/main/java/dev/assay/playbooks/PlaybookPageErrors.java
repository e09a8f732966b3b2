package dev.assay.playbooks;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.ModelAndView;

/**
 * The playbook pages answer refused actions with the right status (400 bad input, 403 not your
 * team, 404 unknown, 409 the drill's state does not allow it) and a page that says why, with a
 * way back: a responder in the middle of a drill must see what went wrong, not a stack trace.
 * Ordered first, so it answers before Spring's problem-details handler (which would answer these
 * pages with JSON); it only advises the playbook page controllers.
 */
@ControllerAdvice(assignableTypes = {RunbookPageController.class, DrillPageController.class})
@Order(Ordered.HIGHEST_PRECEDENCE)
class PlaybookPageErrors {

    /** The drill or runbook page an action came from: where "Back" leads. */
    private static final Pattern PAGE = Pattern.compile("/(drills|runbooks)/[a-z0-9-]{1,100}");

    private final HttpServletRequest request;

    PlaybookPageErrors(HttpServletRequest request) {
        this.request = request;
    }

    @ExceptionHandler(PlaybookNotFoundException.class)
    ModelAndView notFound(PlaybookNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler({DrillStateException.class, RunbookConflictException.class})
    ModelAndView conflict(RuntimeException e) {
        return problem(HttpStatus.CONFLICT, e.getMessage());
    }

    @ExceptionHandler({IllegalArgumentException.class, InvalidRunbookException.class})
    ModelAndView badInput(RuntimeException e) {
        return problem(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ModelAndView badParameter(MethodArgumentTypeMismatchException e) {
        return problem(HttpStatus.BAD_REQUEST, "'" + e.getName() + "' has an invalid value");
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ModelAndView missingParameter(MissingServletRequestParameterException e) {
        return problem(HttpStatus.BAD_REQUEST, "'" + e.getParameterName() + "' is required");
    }

    @ExceptionHandler(ResponseStatusException.class)
    ModelAndView status(ResponseStatusException e) {
        return problem(e.getStatusCode(), e.getReason());
    }

    private ModelAndView problem(HttpStatusCode status, String message) {
        ModelAndView view = new ModelAndView("playbooks/problem");
        Matcher page = PAGE.matcher(request.getRequestURI());
        view.addObject("back", page.lookingAt() && status.value() != 404 ? page.group() : null);
        view.setStatus(status);
        view.addObject("status", status.value());
        HttpStatus known = HttpStatus.resolve(status.value());
        view.addObject("title", known == null ? "Refused" : known.getReasonPhrase());
        view.addObject("message", message);
        return view;
    }
}

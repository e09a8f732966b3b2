package dev.assay.common;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Bad input to any API answers 400 with a message that says what was wrong (RFC 9457 problem
 * details), never a stack trace. Type conversion and missing parameters are answered the same way
 * by Spring's own problem-details handler ({@code spring.mvc.problemdetails.enabled}).
 */
@RestControllerAdvice(annotations = ApiController.class)
class ApiErrors {

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badArgument(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }
}

package dev.assay.security.internal;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** An admin page or action named a user that does not exist. */
@ResponseStatus(HttpStatus.NOT_FOUND)
public class UnknownUserException extends RuntimeException {

    public UnknownUserException(String username) {
        super("No user named '" + username + "'");
    }
}

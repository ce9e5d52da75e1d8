package io.ftpbridge.web;

import java.util.List;
import org.springframework.http.HttpStatus;

/**
 * An error that the API answers with a problem detail of its own status and title: the domain
 * exceptions of {@code web/} and those of features (a remote server's failure) that extend it,
 * so that {@link ProblemDetailsAdvice} maps them without knowing the features.
 */
public abstract class ProblemException extends RuntimeException {

    protected ProblemException(String message, Throwable cause) {
        super(message, cause);
    }

    public abstract HttpStatus status();

    /** The problem type's short summary (the problem detail's {@code title}). */
    public abstract String title();

    /** The offending fields, listed in the problem detail's {@code errors}; none by default. */
    public List<FieldError> errors() {
        return List.of();
    }
}

package io.ftpbridge.web;

import java.util.List;
import org.springframework.http.HttpStatus;

/** A request that is well-formed JSON but whose values cannot be accepted (400). */
public class InvalidRequestException extends ProblemException {

    private final List<FieldError> errors;

    public InvalidRequestException(String field, String message) {
        this(List.of(new FieldError(field, message)));
    }

    public InvalidRequestException(List<FieldError> errors) {
        super(errors.isEmpty() ? "invalid request" : errors.get(0).field() + ": " + errors.get(0).message(), null);
        this.errors = List.copyOf(errors);
    }

    @Override
    public List<FieldError> errors() {
        return errors;
    }

    @Override
    public HttpStatus status() {
        return HttpStatus.BAD_REQUEST;
    }

    @Override
    public String title() {
        return "Invalid request";
    }
}

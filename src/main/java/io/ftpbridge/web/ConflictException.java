package io.ftpbridge.web;

import java.util.List;
import org.springframework.http.HttpStatus;

/** The request clashes with the current state: a duplicate name, a folder still mounted (409). */
public class ConflictException extends ProblemException {

    private final String field;

    public ConflictException(String field, String message) {
        super(message, null);
        this.field = field;
    }

    public String field() {
        return field;
    }

    @Override
    public HttpStatus status() {
        return HttpStatus.CONFLICT;
    }

    @Override
    public String title() {
        return "Conflict";
    }

    @Override
    public List<FieldError> errors() {
        return field == null ? List.of() : List.of(new FieldError(field, getMessage()));
    }
}

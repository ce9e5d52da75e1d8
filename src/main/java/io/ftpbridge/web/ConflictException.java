package io.ftpbridge.web;

/** The request clashes with the current state: a duplicate name, a folder still mounted (409). */
public class ConflictException extends RuntimeException {

    private final String field;

    public ConflictException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}

package io.ftpbridge.web;

import org.springframework.http.HttpStatus;

/** The resource a request names does not exist (404). */
public class NotFoundException extends ProblemException {

    public NotFoundException(String message) {
        super(message, null);
    }

    @Override
    public HttpStatus status() {
        return HttpStatus.NOT_FOUND;
    }

    @Override
    public String title() {
        return "Not found";
    }
}

package io.ftpbridge.web;

import org.springframework.http.HttpStatus;

/** A dependency (a remote server, a connection pool) cannot serve the request now (503). */
public class ServiceUnavailableException extends ProblemException {

    public ServiceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public HttpStatus status() {
        return HttpStatus.SERVICE_UNAVAILABLE;
    }

    @Override
    public String title() {
        return "Service unavailable";
    }
}

package io.ftpbridge.web;

/** A dependency (a remote server, a connection pool) cannot serve the request now (503). */
public class ServiceUnavailableException extends RuntimeException {

    public ServiceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

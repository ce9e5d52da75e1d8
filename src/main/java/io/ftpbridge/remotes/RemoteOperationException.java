package io.ftpbridge.remotes;

import io.ftpbridge.web.ProblemException;
import org.springframework.http.HttpStatus;

/**
 * A remote server could not do what a REST request asked: it is unreachable, refused the login,
 * timed out, or answered a command with an error. Mapped once to a problem detail in {@code web/}.
 */
public class RemoteOperationException extends ProblemException {

    /** Why the operation failed, which decides the HTTP status. */
    public enum Failure {
        /** the path does not exist on the remote (a 550 to a read, list or delete): 404 */
        NOT_FOUND,
        /** the path already exists, or a directory to remove is not empty: 409 */
        CONFLICT,
        /** the remote refused: the login, or a command with a 4xx/5xx reply: 502 */
        REFUSED,
        /** no connection: refused, unknown host, no route: 502 */
        UNREACHABLE,
        /** the remote did not answer in time (connect or read timeout): 504 */
        TIMEOUT
    }

    private final String remote;
    private final Failure failure;

    public RemoteOperationException(String remote, Failure failure, String message, Throwable cause) {
        super("remote '%s': %s".formatted(remote, message), cause);
        this.remote = remote;
        this.failure = failure;
    }

    public String remote() {
        return remote;
    }

    public Failure failure() {
        return failure;
    }

    @Override
    public HttpStatus status() {
        return switch (failure) {
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
            case REFUSED, UNREACHABLE -> HttpStatus.BAD_GATEWAY;
            case TIMEOUT -> HttpStatus.GATEWAY_TIMEOUT;
        };
    }

    @Override
    public String title() {
        return switch (failure) {
            case NOT_FOUND -> "Not found on the remote server";
            case CONFLICT -> "Conflict on the remote server";
            case REFUSED -> "Remote server refused";
            case UNREACHABLE -> "Remote server unreachable";
            case TIMEOUT -> "Remote server timed out";
        };
    }
}

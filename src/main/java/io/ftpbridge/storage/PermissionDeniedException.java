package io.ftpbridge.storage;

/** The mount does not grant the permission an operation needs. */
public class PermissionDeniedException extends RuntimeException {

    public PermissionDeniedException(String message) {
        super(message);
    }
}

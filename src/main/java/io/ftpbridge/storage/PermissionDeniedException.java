package io.ftpbridge.storage;

/** The mount does not grant the permission an operation needs. */
public final class PermissionDeniedException extends StorageException {

    public PermissionDeniedException(String message) {
        super(message, null);
    }
}

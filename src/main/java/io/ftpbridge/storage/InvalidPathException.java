package io.ftpbridge.storage;

/** A path that is malformed or would leave its folder (.., NUL, symlink out, absolute). */
public final class InvalidPathException extends StorageException {

    private final String path;

    public InvalidPathException(String path, String message) {
        super(message, null);
        this.path = path;
    }

    public String path() {
        return path;
    }
}

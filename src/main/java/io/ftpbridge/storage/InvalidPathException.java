package io.ftpbridge.storage;

/** A path that is malformed or would leave its folder (.., NUL, symlink out, absolute). */
public class InvalidPathException extends RuntimeException {

    private final String path;

    public InvalidPathException(String path, String message) {
        super(message);
        this.path = path;
    }

    public String path() {
        return path;
    }
}

package io.ftpbridge.storage;


/**
 * Another write holds the file (or a file below the directory): an append that waited too long,
 * or a delete or rename while an upload is writing. Nothing was changed; try again later
 * (REST 409, FTP 450).
 */
public final class FileBusyException extends StorageException {

    private final String path;

    public FileBusyException(String path, String reason) {
        super(path + ": file busy (" + reason + ")", null);
        this.path = path;
    }

    public String path() {
        return path;
    }
}

package io.ftpbridge.storage;


/** A write would take a folder past its byte or file quota; nothing of it is kept. */
public final class QuotaExceededException extends StorageException {

    private final String folder;

    public QuotaExceededException(String folder, String message) {
        super(message, null);
        this.folder = folder;
    }

    public String folder() {
        return folder;
    }
}

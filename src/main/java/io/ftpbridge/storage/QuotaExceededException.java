package io.ftpbridge.storage;

import java.io.IOException;

/** A write would take a folder past its byte or file quota; nothing of it is kept. */
public class QuotaExceededException extends IOException {

    private final String folder;

    public QuotaExceededException(String folder, String message) {
        super(message);
        this.folder = folder;
    }

    public String folder() {
        return folder;
    }
}

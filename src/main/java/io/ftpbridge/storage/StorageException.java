package io.ftpbridge.storage;

import java.io.IOException;

/**
 * Why storage refused or could not finish an operation on a user's or folder's files: one checked
 * family, so that FTP and REST adapters catch {@link IOException} once and translate the kind
 * (a reply code, a problem detail). File system errors of the JDK ({@code NoSuchFileException},
 * {@code FileAlreadyExistsException}, ...) pass through unchanged beside it.
 */
public abstract sealed class StorageException extends IOException
        permits InvalidPathException, PermissionDeniedException, QuotaExceededException, FileBusyException,
        StorageService.NotAFileException, StorageService.NotADirectoryException,
        StorageService.IncompleteUploadException, StorageService.RestartOffsetException {

    protected StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}

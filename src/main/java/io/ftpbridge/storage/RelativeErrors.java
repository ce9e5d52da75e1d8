package io.ftpbridge.storage;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Storage errors as users may see them: naming the folder-relative path, never where a folder
 * lives on the server's disk (the JDK's file system exceptions carry absolute paths).
 */
final class RelativeErrors {

    private static final Logger log = LoggerFactory.getLogger(RelativeErrors.class);

    private RelativeErrors() {
    }

    /** A storage call whose errors name {@code relativePath}, not a path on the server's disk. */
    interface StorageCall<T> {
        T call() throws IOException;
    }

    static <T> T relative(String relativePath, StorageCall<T> call) throws IOException {
        try {
            return call.call();
        } catch (FileSystemException e) {
            throw relativeError(e, relativePath);
        }
    }

    /** The same error with any absolute file name in it replaced by the folder-relative path. */
    static IOException relativeError(IOException e, String relativePath) {
        if (!(e instanceof FileSystemException f) || !absolute(f.getFile()) && !absolute(f.getOtherFile())) {
            return e;
        }
        String reason = f.getReason();
        FileSystemException hidden;
        if (f instanceof NoSuchFileException) {
            hidden = new NoSuchFileException(relativePath, null, reason);
        } else if (f instanceof FileAlreadyExistsException) {
            hidden = new FileAlreadyExistsException(relativePath, null, reason);
        } else if (f instanceof DirectoryNotEmptyException) {
            hidden = new DirectoryNotEmptyException(relativePath);
        } else if (f instanceof AccessDeniedException) {
            hidden = new AccessDeniedException(relativePath, null, reason);
        } else if (f instanceof NotDirectoryException) {
            hidden = new NotDirectoryException(relativePath);
        } else {
            hidden = new FileSystemException(relativePath, null, reason);
        }
        log.debug("Storage error on {}: {}", relativePath, f.toString());
        return hidden;
    }

    private static boolean absolute(String file) {
        return file != null && file.startsWith("/");
    }

    /** An exception as one line for logs, without a stack trace. */
    static String describe(Exception e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}

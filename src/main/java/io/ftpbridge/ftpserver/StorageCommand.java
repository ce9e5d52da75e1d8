package io.ftpbridge.ftpserver;

import io.ftpbridge.storage.InvalidPathException;
import io.ftpbridge.storage.PermissionDeniedException;
import io.ftpbridge.storage.QuotaExceededException;
import io.ftpbridge.storage.StorageService;
import io.ftpbridge.storage.UserFileSystem;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.apache.ftpserver.command.AbstractCommand;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.impl.FtpIoSession;

/**
 * A command that acts on the user's tree through {@link UserFileSystem}, which decides; this base
 * only turns its answers into reply codes: a condition that will not go away by itself (missing
 * file, permission, non-empty directory) is a permanent 550, a name the server will not take 553,
 * the storage allocation 552, and only an unexpected I/O error the transient 451.
 */
abstract class StorageCommand extends AbstractCommand {

    static UserFileSystem fileSystem(FtpIoSession session) {
        return ((StorageFileSystemView) session.getFileSystemView()).fileSystem();
    }

    /** The absolute path an argument names from the working directory, or null if it is not a path. */
    static String pathOf(FtpIoSession session, String argument) {
        try {
            return UserFileSystem.normalize(session.getFileSystemView().getWorkingDirectory().getAbsolutePath(), argument);
        } catch (InvalidPathException e) {
            return null;
        } catch (org.apache.ftpserver.ftplet.FtpException e) {
            return null;
        }
    }

    static void reply(FtpIoSession session, int code, String message) {
        session.write(new DefaultFtpReply(code, message));
    }

    /** The reply for a refused action on an existing {@code path}. */
    static FtpReply failure(Exception e, String path) {
        return failure(e, path, FtpReply.REPLY_550_REQUESTED_ACTION_NOT_TAKEN);
    }

    /** The reply for a refused action creating {@code path} (MKD, RNTO): a refused name is 553. */
    static FtpReply creationFailure(Exception e, String path) {
        return failure(e, path, FtpReply.REPLY_553_REQUESTED_ACTION_NOT_TAKEN_FILE_NAME_NOT_ALLOWED);
    }

    private static FtpReply failure(Exception e, String path, int invalidNameCode) {
        if (e instanceof NoSuchFileException) {
            return new DefaultFtpReply(FtpReply.REPLY_550_REQUESTED_ACTION_NOT_TAKEN, path + ": No such file or directory.");
        }
        if (e instanceof DirectoryNotEmptyException) {
            return new DefaultFtpReply(FtpReply.REPLY_550_REQUESTED_ACTION_NOT_TAKEN, path + ": Directory not empty.");
        }
        if (e instanceof FileAlreadyExistsException) {
            return new DefaultFtpReply(FtpReply.REPLY_550_REQUESTED_ACTION_NOT_TAKEN, path + ": File exists.");
        }
        if (e instanceof StorageService.NotAFileException) {
            return new DefaultFtpReply(FtpReply.REPLY_550_REQUESTED_ACTION_NOT_TAKEN, path + ": Is a directory.");
        }
        if (e instanceof StorageService.NotADirectoryException || e instanceof NotDirectoryException) {
            return new DefaultFtpReply(FtpReply.REPLY_550_REQUESTED_ACTION_NOT_TAKEN, path + ": Not a directory.");
        }
        if (e instanceof PermissionDeniedException || e instanceof AccessDeniedException) {
            String reason = e.getMessage() == null ? path + ": Permission denied." : e.getMessage();
            return new DefaultFtpReply(FtpReply.REPLY_550_REQUESTED_ACTION_NOT_TAKEN, reason);
        }
        if (e instanceof InvalidPathException) {
            return new DefaultFtpReply(invalidNameCode, path + ": Not allowed (" + e.getMessage() + ").");
        }
        if (e instanceof QuotaExceededException) {
            return new DefaultFtpReply(FtpReply.REPLY_552_REQUESTED_FILE_ACTION_ABORTED_EXCEEDED_STORAGE, e.getMessage());
        }
        if (e instanceof IOException) {
            return new DefaultFtpReply(FtpReply.REPLY_451_REQUESTED_ACTION_ABORTED, path + ": Local error: " + e.getMessage());
        }
        throw new IllegalArgumentException(e);
    }

    /** Doubles quotes inside a path for a 257 reply (RFC 959 appendix II). */
    static String quoted(String path) {
        return '"' + path.replace("\"", "\"\"") + '"';
    }
}

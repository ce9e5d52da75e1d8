package io.ftpbridge.ftpserver;

import io.ftpbridge.storage.FileEntry;
import io.ftpbridge.storage.UserFileSystem;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;
import org.apache.ftpserver.impl.ServerFtpStatistics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DELE and RMD. MINA answers a missing file or a non-empty directory with 450, which clients
 * retry (lftp re-sent DELE 60 times); these are permanent, so 550 with the cause.
 */
final class DeleteCommand extends StorageCommand {

    private static final Logger log = LoggerFactory.getLogger(DeleteCommand.class);

    private final boolean directory;

    DeleteCommand(boolean directory) {
        this.directory = directory;
    }

    @Override
    public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request) throws IOException {
        session.resetState();
        String verb = directory ? "RMD" : "DELE";
        if (!request.hasArgument()) {
            reply(session, FtpReply.REPLY_501_SYNTAX_ERROR_IN_PARAMETERS_OR_ARGUMENTS, verb + " needs a path.");
            return;
        }
        String path = pathOf(session, request.getArgument());
        if (path == null) {
            reply(session, FtpReply.REPLY_550_REQUESTED_ACTION_NOT_TAKEN, request.getArgument() + ": Not a valid path.");
            return;
        }
        UserFileSystem files = fileSystem(session);
        String user = session.getUser().getName();
        try {
            FileEntry entry = files.stat(path);
            if (!directory && entry.type() == FileEntry.Type.DIRECTORY) {
                reply(session, FtpReply.REPLY_550_REQUESTED_ACTION_NOT_TAKEN, path + ": Is a directory; use RMD.");
                return;
            }
            if (directory && entry.type() != FileEntry.Type.DIRECTORY) {
                reply(session, FtpReply.REPLY_550_REQUESTED_ACTION_NOT_TAKEN, path + ": Not a directory; use DELE.");
                return;
            }
            if (directory && path.equals(pathOf(session, "."))) {
                reply(session, FtpReply.REPLY_550_REQUESTED_ACTION_NOT_TAKEN, path + ": Is the current directory.");
                return;
            }
            if (directory) {
                files.removeDirectory(path);
            } else {
                files.deleteFile(path);
            }
        } catch (IOException e) {
            log.info("FTP {} refused: user={} address={} path={} reason={}", verb, user, ClientAddress.text(ClientAddress.inet(session)), path,
                    e instanceof NoSuchFileException ? "missing" : e.getMessage());
            session.write(failure(e, path));
            return;
        }
        log.info("FTP {}: user={} address={} path={}", verb, user, ClientAddress.text(ClientAddress.inet(session)), path);
        StorageFtpFile file = new StorageFtpFile(files, path);
        if (directory) {
            ((ServerFtpStatistics) context.getFtpStatistics()).setRmdir(session, file);
            reply(session, FtpReply.REPLY_250_REQUESTED_FILE_ACTION_OKAY, quoted(path) + " removed.");
        } else {
            ((ServerFtpStatistics) context.getFtpStatistics()).setDelete(session, file);
            reply(session, FtpReply.REPLY_250_REQUESTED_FILE_ACTION_OKAY, "Deleted " + path + ".");
        }
    }
}

package io.ftpbridge.ftpserver;

import io.ftpbridge.storage.FileEntry;
import io.ftpbridge.storage.Permission;
import io.ftpbridge.storage.UserFileSystem;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import org.apache.ftpserver.ftplet.FtpFile;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RNFR and RNTO. RNFR of a missing file is 550 at once (MINA said 350 and failed only at RNTO);
 * RNTO onto an existing file replaces it atomically where the user may write it, so "upload to a
 * temporary name, then rename" works; storage decides, this class only answers.
 */
final class RenameCommand extends StorageCommand {

    private static final Logger log = LoggerFactory.getLogger(RenameCommand.class);

    private final boolean to;

    RenameCommand(boolean to) {
        this.to = to;
    }

    @Override
    public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request) throws IOException {
        FtpFile from = session.getRenameFrom();
        session.resetState();
        String verb = to ? "RNTO" : "RNFR";
        if (!request.hasArgument()) {
            reply(session, FtpReply.REPLY_501_SYNTAX_ERROR_IN_PARAMETERS_OR_ARGUMENTS, verb + " needs a path.");
            return;
        }
        String path = pathOf(session, request.getArgument());
        if (to) {
            renameTo(session, from, path, request.getArgument());
        } else {
            renameFrom(session, path, request.getArgument());
        }
    }

    private void renameFrom(FtpIoSession session, String path, String argument) {
        UserFileSystem files = fileSystem(session);
        if (path == null) {
            reply(session, FtpReply.REPLY_550_REQUESTED_ACTION_NOT_TAKEN, argument + ": Not a valid path.");
            return;
        }
        FileEntry entry = files.statOrNull(path);
        if (entry == null) {
            reply(session, FtpReply.REPLY_550_REQUESTED_ACTION_NOT_TAKEN, path + ": No such file or directory.");
            return;
        }
        if (!files.permissionsAt(path).contains(Permission.RENAME)) {
            reply(session, FtpReply.REPLY_550_REQUESTED_ACTION_NOT_TAKEN, path + ": Permission denied (RENAME).");
            return;
        }
        session.setRenameFrom(new StorageFtpFile(files, path));
        reply(session, FtpReply.REPLY_350_REQUESTED_FILE_ACTION_PENDING_FURTHER_INFORMATION,
                path + ": File exists, ready for destination name.");
    }

    private void renameTo(FtpIoSession session, FtpFile from, String path, String argument) {
        if (from == null) {
            reply(session, FtpReply.REPLY_503_BAD_SEQUENCE_OF_COMMANDS, "RNFR must come first.");
            return;
        }
        if (path == null) {
            reply(session, FtpReply.REPLY_553_REQUESTED_ACTION_NOT_TAKEN_FILE_NAME_NOT_ALLOWED, argument + ": Not a valid path.");
            return;
        }
        String user = session.getUser().getName();
        try {
            fileSystem(session).rename(from.getAbsolutePath(), path, true);
        } catch (IOException e) {
            log.info("FTP RNTO refused: user={} address={} from={} to={} reason={}", user, ClientAddress.text(ClientAddress.inet(session)),
                    from.getAbsolutePath(), path, e.toString());
            if (e instanceof NoSuchFileException) {
                // either the file went away since RNFR, or the target's directory does not exist
                boolean sourceGone = fileSystem(session).statOrNull(from.getAbsolutePath()) == null;
                session.write(failure(e, sourceGone ? from.getAbsolutePath() : path));
            } else {
                session.write(creationFailure(e, path));
            }
            return;
        }
        log.info("FTP RNTO: user={} address={} from={} to={}", user, ClientAddress.text(ClientAddress.inet(session)), from.getAbsolutePath(), path);
        reply(session, FtpReply.REPLY_250_REQUESTED_FILE_ACTION_OKAY, "Renamed " + from.getAbsolutePath() + " to " + path + ".");
    }
}

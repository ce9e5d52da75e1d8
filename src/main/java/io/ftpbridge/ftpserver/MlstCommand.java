package io.ftpbridge.ftpserver;

import io.ftpbridge.storage.FileEntry;
import io.ftpbridge.storage.UserFileSystem;
import java.io.IOException;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;

/**
 * MLST (RFC 3659 §7): the entry line starts with a space, and a missing path is 550, not MINA's
 * 501 (a syntax error) and blank line.
 */
final class MlstCommand extends StorageCommand {

    @Override
    public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request) throws IOException {
        session.resetState();
        String argument = request.hasArgument() ? request.getArgument() : "";
        String path = pathOf(session, argument);
        if (path == null) {
            reply(session, FtpReply.REPLY_501_SYNTAX_ERROR_IN_PARAMETERS_OR_ARGUMENTS, argument + ": Not a valid path.");
            return;
        }
        UserFileSystem files = fileSystem(session);
        FileEntry entry;
        try {
            entry = files.stat(path);
        } catch (IOException e) {
            session.write(failure(e, path));
            return;
        }
        String line = MlstFacts.entry(MlstFacts.selected(session), files, path, entry, path);
        reply(session, FtpReply.REPLY_250_REQUESTED_FILE_ACTION_OKAY, "Listing " + path + "\n " + line + "\nEnd");
    }
}

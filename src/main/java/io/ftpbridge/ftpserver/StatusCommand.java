package io.ftpbridge.ftpserver;

import io.ftpbridge.storage.FileEntry;
import java.io.IOException;
import org.apache.ftpserver.command.Command;
import org.apache.ftpserver.command.impl.STAT;
import org.apache.ftpserver.command.impl.listing.DirectoryLister;
import org.apache.ftpserver.command.impl.listing.LISTFileFormater;
import org.apache.ftpserver.command.impl.listing.ListArgument;
import org.apache.ftpserver.command.impl.listing.ListArgumentParser;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;

/**
 * {@code STAT path}: a LIST over the control connection (RFC 959 §4.1.3), 213 for a file and 212
 * for a directory, and 550 for a missing path (MINA said 450). STAT without an argument stays MINA's.
 */
final class StatusCommand extends StorageCommand {

    private final Command serverStatus = new STAT();
    private final DirectoryLister lister = new DirectoryLister();

    @Override
    public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request)
            throws IOException, FtpException {
        if (!request.hasArgument()) {
            serverStatus.execute(session, context, request);
            return;
        }
        session.resetState();
        ListArgument argument;
        try {
            argument = ListArgumentParser.parse(request.getArgument());
        } catch (IllegalArgumentException e) {
            reply(session, FtpReply.REPLY_501_SYNTAX_ERROR_IN_PARAMETERS_OR_ARGUMENTS, request.getArgument() + ": " + e.getMessage());
            return;
        }
        String path = pathOf(session, argument.getFile());
        if (path == null) {
            reply(session, FtpReply.REPLY_550_REQUESTED_ACTION_NOT_TAKEN, argument.getFile() + ": Not a valid path.");
            return;
        }
        FileEntry entry;
        try {
            entry = fileSystem(session).stat(path);
        } catch (IOException e) {
            session.write(failure(e, path));
            return;
        }
        String listing = lister.listFiles(argument, session.getFileSystemView(), new LISTFileFormater());
        boolean directory = entry.type() == FileEntry.Type.DIRECTORY;
        reply(session, directory ? FtpReply.REPLY_212_DIRECTORY_STATUS : FtpReply.REPLY_213_FILE_STATUS,
                "Status of " + path + ":\n" + listing + "End of status");
    }
}

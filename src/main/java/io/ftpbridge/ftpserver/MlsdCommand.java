package io.ftpbridge.ftpserver;

import io.ftpbridge.storage.FileEntry;
import io.ftpbridge.storage.UserFileSystem;
import java.io.IOException;
import java.net.SocketException;
import java.util.List;
import org.apache.ftpserver.ftplet.DataConnection;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;
import org.apache.ftpserver.impl.IODataConnectionFactory;

/**
 * MLSD (RFC 3659 §7) with the same facts as MLST, dot files included (MLSD has no "-a": a mirror
 * must see every file), a file argument refused with 501 and a missing one with 550.
 */
final class MlsdCommand extends StorageCommand {

    @Override
    public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request) throws IOException {
        try {
            session.resetState();
            String argument = request.hasArgument() ? request.getArgument() : "";
            String path = pathOf(session, argument);
            if (path == null) {
                reply(session, FtpReply.REPLY_501_SYNTAX_ERROR_IN_PARAMETERS_OR_ARGUMENTS, argument + ": Not a valid path.");
                return;
            }
            if (session.getDataConnection() instanceof IODataConnectionFactory factory && factory.getInetAddress() == null) {
                reply(session, FtpReply.REPLY_503_BAD_SEQUENCE_OF_COMMANDS, "PORT, PASV, EPRT or EPSV must be issued first.");
                return;
            }
            UserFileSystem files = fileSystem(session);
            StringBuilder listing = new StringBuilder();
            try {
                if (files.stat(path).type() != FileEntry.Type.DIRECTORY) {
                    reply(session, FtpReply.REPLY_501_SYNTAX_ERROR_IN_PARAMETERS_OR_ARGUMENTS, path + ": Not a directory; use MLST.");
                    return;
                }
                List<MlstFacts.Fact> facts = MlstFacts.selected(session);
                String prefix = path.equals("/") ? "/" : path + "/";
                for (FileEntry entry : files.list(path)) {
                    listing.append(MlstFacts.entry(facts, files, prefix + entry.name(), entry, entry.name())).append("\r\n");
                }
            } catch (IOException e) {
                session.write(failure(e, path));
                return;
            }
            reply(session, FtpReply.REPLY_150_FILE_STATUS_OKAY, "Opening data connection for the listing of " + path + ".");
            DataConnection data;
            try {
                data = session.getDataConnection().openConnection();
            } catch (Exception e) {
                reply(session, FtpReply.REPLY_425_CANT_OPEN_DATA_CONNECTION, "Cannot open data connection.");
                return;
            }
            try {
                data.transferToClient(session.getFtpletSession(), listing.toString());
                reply(session, FtpReply.REPLY_226_CLOSING_DATA_CONNECTION, "Listing sent.");
            } catch (SocketException e) {
                reply(session, FtpReply.REPLY_426_CONNECTION_CLOSED_TRANSFER_ABORTED, "Data connection closed; listing aborted.");
            } catch (IOException e) {
                reply(session, FtpReply.REPLY_451_REQUESTED_ACTION_ABORTED, "Local error in processing: " + e.getMessage());
            }
        } finally {
            session.getDataConnection().closeDataConnection();
        }
    }
}

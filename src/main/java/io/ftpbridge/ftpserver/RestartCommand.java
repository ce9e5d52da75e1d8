package io.ftpbridge.ftpserver;

import java.io.IOException;
import org.apache.ftpserver.command.AbstractCommand;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.ftplet.FtpSession;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;

/**
 * REST (RFC 3659 section 5). MINA keeps the offset in state that nearly every command resets, so
 * {@code REST n}, {@code PASV}, {@code STOR} started at 0 and an upload lost its first n bytes.
 * Here the offset is kept apart and holds until the next transfer command takes it.
 */
final class RestartCommand extends AbstractCommand {

    private static final String OFFSET = "ftpbridge.restartOffset";

    @Override
    public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request) throws IOException {
        String argument = request.getArgument();
        long offset;
        try {
            offset = argument == null ? -1 : Long.parseLong(argument.trim());
        } catch (NumberFormatException e) {
            offset = -1;
        }
        if (offset < 0) {
            session.write(new DefaultFtpReply(FtpReply.REPLY_501_SYNTAX_ERROR_IN_PARAMETERS_OR_ARGUMENTS,
                    "REST needs a byte offset of 0 or more."));
            return;
        }
        session.setAttribute(OFFSET, offset);
        session.write(new DefaultFtpReply(FtpReply.REPLY_350_REQUESTED_FILE_ACTION_PENDING_FURTHER_INFORMATION,
                "Restarting at " + offset + ". Send STOR or RETR to start the transfer."));
    }

    /** The offset a transfer command starts at, used up by that command (0 without REST). */
    static long take(FtpIoSession session) {
        return session.removeAttribute(OFFSET) instanceof Long offset ? offset : 0;
    }

    /** Forgets a pending offset (another data transfer command came first). */
    static void clear(FtpSession session) {
        session.removeAttribute(OFFSET);
    }
}

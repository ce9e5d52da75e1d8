package io.ftpbridge.ftpserver;

import org.apache.ftpserver.command.AbstractCommand;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;

/**
 * 502 for a command nobody implements, naming it as the client sent it: MINA drops a leading X
 * (for the RFC 775 XMKD family) before looking commands up, and then answered "YZZY" for XYZZY.
 */
final class UnknownCommand extends AbstractCommand {

    @Override
    public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request) {
        String line = request.getRequestLine();
        int space = line.indexOf(' ');
        String verb = space < 0 ? line : line.substring(0, space);
        session.resetState();
        session.write(new DefaultFtpReply(FtpReply.REPLY_502_COMMAND_NOT_IMPLEMENTED, "Command " + verb + " not implemented."));
    }
}

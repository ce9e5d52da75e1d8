package io.ftpbridge.ftpserver;

import java.io.IOException;
import org.apache.ftpserver.command.AbstractCommand;
import org.apache.ftpserver.command.Command;
import org.apache.ftpserver.command.impl.MODE;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;

/**
 * MODE S only. MINA would also accept MODE Z, which our own transfer commands do not compress,
 * so it is refused (and not in FEAT) rather than accepted and then ignored.
 */
final class ModeCommand extends AbstractCommand {

    private final Command mode = new MODE();

    @Override
    public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request)
            throws IOException, FtpException {
        if (request.hasArgument() && request.getArgument().trim().equalsIgnoreCase("Z")) {
            session.resetState();
            session.write(new DefaultFtpReply(FtpReply.REPLY_504_COMMAND_NOT_IMPLEMENTED_FOR_THAT_PARAMETER,
                    "MODE Z is not supported; only MODE S."));
            return;
        }
        mode.execute(session, context, request);
    }
}

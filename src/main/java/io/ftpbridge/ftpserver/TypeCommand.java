package io.ftpbridge.ftpserver;

import java.io.IOException;
import org.apache.ftpserver.command.AbstractCommand;
import org.apache.ftpserver.command.Command;
import org.apache.ftpserver.command.impl.TYPE;
import org.apache.ftpserver.ftplet.DataType;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;

/** TYPE, also accepting {@code TYPE L 8} (RFC 959 §3.1.1.4: local byte size 8 is image); the rest is MINA's. */
final class TypeCommand extends AbstractCommand {

    private final Command type = new TYPE();

    @Override
    public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request)
            throws IOException, FtpException {
        String argument = request.hasArgument() ? request.getArgument().trim() : "";
        if (argument.matches("(?i)L +8")) {
            session.resetState();
            session.setDataType(DataType.BINARY);
            session.write(new DefaultFtpReply(FtpReply.REPLY_200_COMMAND_OKAY, "Type set to L 8 (binary)."));
            return;
        }
        type.execute(session, context, request);
    }
}

package io.ftpbridge.ftpserver;

import java.io.IOException;
import org.apache.ftpserver.command.AbstractCommand;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;

/**
 * USER, answered the same way and without looking anything up whatever the name: whether an
 * account exists, and its connection limit, are decided at PASS. While logged in, USER is a
 * sequence error (503) and the session stays as it is.
 */
final class UserCommand extends AbstractCommand {

    private final boolean tlsRequired;

    UserCommand(boolean tlsRequired) {
        this.tlsRequired = tlsRequired;
    }

    @Override
    public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request) throws IOException {
        session.resetState();
        String name = request.getArgument();
        if (name == null || name.isBlank()) {
            session.write(new DefaultFtpReply(FtpReply.REPLY_501_SYNTAX_ERROR_IN_PARAMETERS_OR_ARGUMENTS,
                    "USER needs a user name."));
            return;
        }
        if (session.isLoggedIn()) {
            session.write(new DefaultFtpReply(FtpReply.REPLY_503_BAD_SEQUENCE_OF_COMMANDS,
                    "Already logged in as " + session.getUser().getName() + "; send REIN to log in again."));
            return;
        }
        if (tlsRequired && !session.isSecure()) {
            session.write(new DefaultFtpReply(FtpReply.REPLY_530_NOT_LOGGED_IN,
                    "This server requires TLS: send AUTH TLS before USER."));
            return;
        }
        session.setUserArgument(name);
        session.write(new DefaultFtpReply(FtpReply.REPLY_331_USER_NAME_OKAY_NEED_PASSWORD,
                "User name okay, need password."));
    }
}

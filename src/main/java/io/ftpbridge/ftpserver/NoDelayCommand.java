package io.ftpbridge.ftpserver;

import java.io.IOException;
import org.apache.ftpserver.command.Command;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;
import org.apache.mina.core.RuntimeIoException;
import org.apache.mina.transport.socket.SocketSessionConfig;

/**
 * Turns Nagle's algorithm off on the control connection before running a command. MINA leaves it
 * on, so the "226 Transfer complete" written right after a "150" the client has not yet
 * acknowledged waited for the client's delayed ACK: about 40 ms added to every transfer.
 */
final class NoDelayCommand implements Command {

    private final Command delegate;

    NoDelayCommand(Command delegate) {
        this.delegate = delegate;
    }

    @Override
    public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request)
            throws IOException, FtpException {
        if (session.getConfig() instanceof SocketSessionConfig socket) {
            try {
                if (!socket.isTcpNoDelay()) {
                    socket.setTcpNoDelay(true);
                }
            } catch (RuntimeIoException e) {
                if (session.isClosing() || !session.isConnected()) {
                    return; // the client reset the connection before this command ran: nobody is left to answer
                }
                // a live socket that refuses the option: the command runs all the same, only its reply may wait
            }
        }
        delegate.execute(session, context, request);
    }
}

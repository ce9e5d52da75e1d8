package io.ftpbridge.ftpserver;

import java.util.Set;
import java.util.function.Supplier;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.DefaultFtplet;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.ftplet.FtpSession;
import org.apache.ftpserver.ftplet.FtpletResult;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.mina.transport.socket.SocketSessionConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control connection while a transfer runs (RFC 959 sections 4.1.3 and 5.4). ABOR closes the
 * data connection at once and answers 426 (from the transfer) then 226; STAT without an argument
 * reports the bytes so far; NOOP is answered; QUIT closes the connection once the transfer's reply
 * is sent. Any other command is refused with 450 until the transfer ends: the server does not
 * queue commands. Each connection also gets Telnet commands stripped ({@link TelnetCommandFilter})
 * and urgent data kept in line, so that a client's {@code IAC IP IAC DM ABOR} arrives as ABOR.
 */
final class TransferControlFtplet extends DefaultFtplet {

    private static final Logger log = LoggerFactory.getLogger(TransferControlFtplet.class);
    private static final long ABORT_WAIT_MILLIS = 10_000;

    private final Supplier<Set<FtpIoSession>> sessions;
    private final TelnetCommandFilter telnet = new TelnetCommandFilter();

    TransferControlFtplet(Supplier<Set<FtpIoSession>> sessions) {
        this.sessions = sessions;
    }

    @Override
    public FtpletResult onConnect(FtpSession session) {
        // MINA passes ftplets its session facade; the filter chain belongs to the connection itself
        for (FtpIoSession connection : sessions.get()) {
            if (connection.getSessionId().equals(session.getSessionId())) {
                if (!connection.getFilterChain().contains(TelnetCommandFilter.NAME)
                        && connection.getFilterChain().contains("codec")) {
                    connection.getFilterChain().addBefore("codec", TelnetCommandFilter.NAME, telnet);
                }
                if (connection.getConfig() instanceof SocketSessionConfig socket) {
                    socket.setOobInline(true);
                }
                break;
            }
        }
        return FtpletResult.DEFAULT;
    }

    @Override
    public FtpletResult beforeCommand(FtpSession session, FtpRequest request) throws FtpException {
        String command = request.getCommand();
        if (!(session.getAttribute(DataTransfer.ATTRIBUTE) instanceof DataTransfer transfer)) {
            if (command.equals("LIST") || command.equals("NLST") || command.equals("MLSD") || command.equals("STOU")) {
                RestartCommand.clear(session);
            }
            return FtpletResult.DEFAULT;
        }
        if (command.equals("ABOR")) {
            return abort(session, transfer);
        }
        synchronized (transfer) {
            if (!transfer.inProgress()) {
                return FtpletResult.DEFAULT;
            }
            switch (command) {
                case "STAT" -> {
                    if (request.getArgument() != null) {
                        return FtpletResult.DEFAULT;
                    }
                    session.write(new DefaultFtpReply(FtpReply.REPLY_213_FILE_STATUS, status(transfer)));
                }
                case "NOOP" -> session.write(new DefaultFtpReply(FtpReply.REPLY_200_COMMAND_OKAY, "NOOP ok."));
                case "QUIT" -> transfer.quitWhenDone();
                default -> session.write(new DefaultFtpReply(FtpReply.REPLY_450_REQUESTED_FILE_ACTION_NOT_TAKEN,
                        command + ": a transfer is in progress; send ABOR or STAT, or wait for it to end."));
            }
            return FtpletResult.SKIP;
        }
    }

    private static FtpletResult abort(FtpSession session, DataTransfer transfer) throws FtpException {
        transfer.abort();
        try {
            if (!transfer.awaitEnd(ABORT_WAIT_MILLIS)) {
                log.warn("FTP transfer did not stop on ABOR: user={} path={}", session.getUser().getName(), transfer.path);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("FTP transfer aborted: user={} address={} path={} bytes={}", session.getUser().getName(),
                session.getClientAddress(), transfer.path, transfer.bytes());
        session.write(new DefaultFtpReply(FtpReply.REPLY_226_CLOSING_DATA_CONNECTION,
                "ABOR successful; data connection closed."));
        return FtpletResult.SKIP;
    }

    private static String status(DataTransfer transfer) {
        String done = transfer.expected >= 0 ? transfer.bytes() + " of " + transfer.expected : String.valueOf(transfer.bytes());
        return "Status: " + transfer.command + " " + transfer.path + ": " + done + " bytes transferred.";
    }
}
